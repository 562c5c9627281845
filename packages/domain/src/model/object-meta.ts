import type { ObjectMeta } from "../resources/object-meta.ts";

/**
 * The metadata every stored resource carries: the API's ObjectMeta with the fields the server sets
 * on create made required, and without those certplane does not track (resourceVersion,
 * finalizers, ownerReferences). A manifest may omit uid, generation and creationTimestamp; a
 * stored object never does.
 */
export type StoredObjectMeta = Readonly<
  Required<Pick<ObjectMeta, "name" | "uid" | "generation" | "creationTimestamp">> &
    Pick<ObjectMeta, "namespace" | "labels" | "annotations">
>;

/** Labels and annotations as the user sent them, compared to decide whether an apply changes anything. */
export type UserMeta = Pick<StoredObjectMeta, "labels" | "annotations">;

/** Deep equality of JSON values with object keys in any order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

import type { StoredObjectMeta, UserMeta } from "./object-meta.ts";
import { jsonEqual } from "./object-meta.ts";

/** What an apply of a spec'd resource does to the stored object: create it, change it, or nothing. */
export type ApplyOutcome<TSpec> =
  | { readonly kind: "create"; readonly meta: StoredObjectMeta }
  | {
      readonly kind: "update";
      readonly meta: StoredObjectMeta;
      readonly specChanged: boolean;
      readonly previous: TSpec;
    }
  | { readonly kind: "unchanged" };

export interface ApplyInput<TSpec> extends UserMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly spec: TSpec;
  readonly uid: string;
  readonly now: string;
}

/**
 * Kubernetes' rules for an apply: a new object gets generation 1; the generation moves only when
 * the spec changes; labels and annotations alone update metadata; an identical apply is a no-op.
 */
export function planApply<TSpec>(
  current: { readonly meta: StoredObjectMeta; readonly spec: TSpec } | undefined,
  input: ApplyInput<TSpec>,
): ApplyOutcome<TSpec> {
  const userMeta = {
    ...(input.labels && Object.keys(input.labels).length > 0 ? { labels: input.labels } : {}),
    ...(input.annotations && Object.keys(input.annotations).length > 0
      ? { annotations: input.annotations }
      : {}),
  };
  if (!current) {
    return {
      kind: "create",
      meta: {
        name: input.name,
        ...(input.namespace === undefined ? {} : { namespace: input.namespace }),
        uid: input.uid,
        generation: 1,
        creationTimestamp: input.now,
        ...userMeta,
      },
    };
  }
  const specChanged = !jsonEqual(current.spec, input.spec);
  const metaChanged =
    !jsonEqual(current.meta.labels ?? {}, input.labels ?? {}) ||
    !jsonEqual(current.meta.annotations ?? {}, input.annotations ?? {});
  if (!specChanged && !metaChanged) return { kind: "unchanged" };
  const { labels: _l, annotations: _a, ...kept } = current.meta;
  return {
    kind: "update",
    meta: { ...kept, ...userMeta, generation: current.meta.generation + (specChanged ? 1 : 0) },
    specChanged,
    previous: current.spec,
  };
}

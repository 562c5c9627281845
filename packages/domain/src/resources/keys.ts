// Resource identities and their event-stream ids. Kubernetes names are DNS-1123 (lowercase
// alphanumerics, `-`, `.`), so `_` and `~` never occur in them and the mapping below is reversible.
import type { ResourceKind } from "./resource.ts";

export type StreamCategory =
  | "issuer"
  | "clusterIssuer"
  | "certificate"
  | "certificateRequest"
  | "order"
  | "challenge"
  | "secret";

export type StreamKind = Exclude<ResourceKind, "Namespace">;

const categoryByKind: Readonly<Record<StreamKind, StreamCategory>> = {
  Issuer: "issuer",
  ClusterIssuer: "clusterIssuer",
  Certificate: "certificate",
  CertificateRequest: "certificateRequest",
  Order: "order",
  Challenge: "challenge",
  Secret: "secret",
};

const kindByCategory = new Map(
  Object.entries(categoryByKind).map(([kind, category]) => [category, kind as StreamKind]),
);

const clusterScoped: ReadonlySet<StreamKind> = new Set(["ClusterIssuer"]);

export interface ResourceRef {
  readonly kind: StreamKind;
  /** Absent for cluster-scoped kinds. */
  readonly namespace?: string;
  readonly name: string;
}

/** Human-readable identity: `Certificate/demo-apps/myapp-tls`, `ClusterIssuer/demo-ca-issuer`. */
export function resourceKey(kind: ResourceKind, namespace: string | undefined, name: string): string {
  return namespace === undefined || namespace === "" ? `${kind}/${name}` : `${kind}/${namespace}/${name}`;
}

export function streamCategoryFor(kind: StreamKind): StreamCategory {
  return categoryByKind[kind];
}

/**
 * `certificate-demo-apps_myapp~example~com`: `<category>-<id>`, the id using only
 * `[A-Za-z0-9_~:-]` (`.` becomes `~`, `_` joins namespace and name) so it is a valid NATS subject
 * token and store stream name.
 */
export function streamIdFor(ref: ResourceRef): string {
  const scoped = !clusterScoped.has(ref.kind);
  if (scoped !== (ref.namespace !== undefined && ref.namespace !== "")) {
    throw new RangeError(
      `${ref.kind} ${ref.name}: ${scoped ? "a namespace is required" : "cluster-scoped kinds take no namespace"}`,
    );
  }
  const encode = (part: string) => {
    if (!/^[a-z0-9.-]+$/.test(part)) throw new RangeError(`"${part}" is not a Kubernetes object name`);
    return part.replaceAll(".", "~");
  };
  const id = scoped ? `${encode(ref.namespace!)}_${encode(ref.name)}` : encode(ref.name);
  return `${categoryByKind[ref.kind]}-${id}`;
}

/** The inverse of streamIdFor; `undefined` for ids it cannot have produced. */
export function parseStreamId(stream: string): ResourceRef | undefined {
  const dash = stream.indexOf("-");
  if (dash < 0) return undefined;
  const kind = kindByCategory.get(stream.slice(0, dash) as StreamCategory);
  const id = stream.slice(dash + 1);
  if (kind === undefined || !/^[a-z0-9~_-]+$/.test(id)) return undefined;
  const decode = (part: string) => part.replaceAll("~", ".");
  const parts = id.split("_");
  if (clusterScoped.has(kind)) {
    return parts.length === 1 && id !== "" ? { kind, name: decode(id) } : undefined;
  }
  const [namespace, name] = parts;
  if (parts.length !== 2 || !namespace || !name) return undefined;
  return { kind, namespace: decode(namespace), name: decode(name) };
}

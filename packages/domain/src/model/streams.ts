// Stream names for every aggregate: `<category>-<id>`. Kubernetes names may contain `.`, which is
// a token separator in NATS subjects, and never contain `_` or `~`; so the id is `<ns>_<name>`
// with `.` written as `~`, and the mapping is reversible.

export type StreamCategory =
  | "certificate"
  | "certificateRequest"
  | "issuer"
  | "clusterIssuer"
  | "secret"
  | "order"
  | "challenge";

export interface StreamRef {
  readonly category: StreamCategory;
  readonly namespace?: string;
  readonly name: string;
}

const encode = (part: string) => part.replaceAll(".", "~");
const decode = (part: string) => part.replaceAll("~", ".");

export function streamName(ref: StreamRef): string {
  const id = ref.namespace === undefined ? encode(ref.name) : `${encode(ref.namespace)}_${encode(ref.name)}`;
  return `${ref.category}-${id}`;
}

export function parseStreamName(stream: string): StreamRef {
  const dash = stream.indexOf("-");
  const category = stream.slice(0, dash) as StreamCategory;
  const id = stream.slice(dash + 1);
  const underscore = id.indexOf("_");
  if (underscore < 0) return { category, name: decode(id) };
  return { category, namespace: decode(id.slice(0, underscore)), name: decode(id.slice(underscore + 1)) };
}

export const streams = {
  certificate: (namespace: string, name: string) => streamName({ category: "certificate", namespace, name }),
  certificateRequest: (namespace: string, name: string) =>
    streamName({ category: "certificateRequest", namespace, name }),
  issuer: (namespace: string, name: string) => streamName({ category: "issuer", namespace, name }),
  clusterIssuer: (name: string) => streamName({ category: "clusterIssuer", name }),
  secret: (namespace: string, name: string) => streamName({ category: "secret", namespace, name }),
  order: (namespace: string, name: string) => streamName({ category: "order", namespace, name }),
  challenge: (namespace: string, name: string) => streamName({ category: "challenge", namespace, name }),
} as const;

/** The stream of the issuer a Certificate or CertificateRequest refers to (empty kind means Issuer). */
export function issuerStreamFor(
  namespace: string,
  issuerRef: { readonly name: string; readonly kind?: string },
): string {
  return issuerRef.kind === "ClusterIssuer"
    ? streams.clusterIssuer(issuerRef.name)
    : streams.issuer(namespace, issuerRef.name);
}

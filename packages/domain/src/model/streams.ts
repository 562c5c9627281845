// Stream names for every aggregate: `<category>-<id>`. Kubernetes names may contain `.`, which is
// a token separator in NATS subjects, and never contain `_` or `~`; so the id is `<ns>_<name>`
// with `.` written as `~`, and the mapping is reversible.

export type StreamCategory =
  | "certificate"
  | "certificateIssuance"
  | "certificateRequest"
  | "issuer"
  | "issuerStatus"
  | "clusterIssuer"
  | "clusterIssuerStatus"
  | "secret"
  | "order"
  | "challenge"
  | "secretTarget"
  | "secretTargetStatus"
  | "publication";

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
  certificateIssuance: (namespace: string, name: string) =>
    streamName({ category: "certificateIssuance", namespace, name }),
  certificateRequest: (namespace: string, name: string) =>
    streamName({ category: "certificateRequest", namespace, name }),
  issuer: (namespace: string, name: string) => streamName({ category: "issuer", namespace, name }),
  issuerStatus: (namespace: string, name: string) =>
    streamName({ category: "issuerStatus", namespace, name }),
  clusterIssuer: (name: string) => streamName({ category: "clusterIssuer", name }),
  clusterIssuerStatus: (name: string) => streamName({ category: "clusterIssuerStatus", name }),
  secret: (namespace: string, name: string) => streamName({ category: "secret", namespace, name }),
  order: (namespace: string, name: string) => streamName({ category: "order", namespace, name }),
  challenge: (namespace: string, name: string) => streamName({ category: "challenge", namespace, name }),
  secretTarget: (name: string) => streamName({ category: "secretTarget", name }),
  secretTargetStatus: (name: string) => streamName({ category: "secretTargetStatus", name }),
  /** Target names are DNS subdomains and hold no `:`, so the secret and the target split apart again. */
  publication: (namespace: string, secretName: string, target: string) =>
    streamName({ category: "publication", namespace, name: `${secretName}:${target}` }),
} as const;

/** The Secret and the SecretTarget a `publication-…` stream is about. */
export function parsePublicationStream(stream: string): {
  namespace: string;
  secretName: string;
  target: string;
} {
  const { namespace = "", name } = parseStreamName(stream);
  const colon = name.lastIndexOf(":");
  return { namespace, secretName: name.slice(0, colon), target: name.slice(colon + 1) };
}

/** The stream of the issuer a Certificate or CertificateRequest refers to (empty kind means Issuer). */
export function issuerStreamFor(
  namespace: string,
  issuerRef: { readonly name: string; readonly kind?: string },
): string {
  return issuerRef.kind === "ClusterIssuer"
    ? streams.clusterIssuer(issuerRef.name)
    : streams.issuer(namespace, issuerRef.name);
}

/**
 * One object a user sees can be folded from the streams of two owners: a Certificate is its spec
 * (intake's `certificate-…`) plus its issuance record (the renewal-scheduler's
 * `certificateIssuance-…`); an issuer is its spec plus the signer's status stream, a SecretTarget
 * its spec plus the secret-publisher's status stream. Both streams
 * share the id, so the object is found from either of them.
 */
const companions: Readonly<Partial<Record<StreamCategory, StreamCategory>>> = {
  certificate: "certificateIssuance",
  issuer: "issuerStatus",
  clusterIssuer: "clusterIssuerStatus",
  secretTarget: "secretTargetStatus",
};
const primaries: Readonly<Partial<Record<StreamCategory, StreamCategory>>> = Object.fromEntries(
  Object.entries(companions).map(([primary, companion]) => [companion, primary]),
);

function withCategory(stream: string, category: StreamCategory): string {
  return `${category}${stream.slice(stream.indexOf("-"))}`;
}

/** The stream that names the object `stream` belongs to (itself unless it is a companion stream). */
export function primaryStreamOf(stream: string): string {
  const primary = primaries[parseStreamName(stream).category];
  return primary === undefined ? stream : withCategory(stream, primary);
}

/** Every stream whose events fold into the object of `stream`, primary first. */
export function objectStreamsOf(stream: string): readonly string[] {
  const primary = primaryStreamOf(stream);
  const companion = companions[parseStreamName(primary).category];
  return companion === undefined ? [primary] : [primary, withCategory(primary, companion)];
}

/** The categories to follow to see every change of objects of `categories`. */
export function withCompanionCategories(categories: readonly StreamCategory[]): StreamCategory[] {
  return [...new Set(categories.flatMap((c) => [c, ...(companions[c] ? [companions[c]] : [])]))];
}

import type { ResourceKind } from "@certplane/api";
import { usageError } from "./command.ts";

export interface KindInfo {
  readonly kind: ResourceKind;
  /** What kubectl prints in `kind/name` and `kind "name" deleted`. */
  readonly qualified: string;
  readonly plural: string;
  readonly namespaced: boolean;
  readonly aliases: readonly string[];
}

const kinds: readonly KindInfo[] = [
  {
    kind: "Certificate",
    qualified: "certificate.cert-manager.io",
    plural: "certificates",
    namespaced: true,
    aliases: ["certificate", "certificates", "cert", "certs"],
  },
  {
    kind: "CertificateRequest",
    qualified: "certificaterequest.cert-manager.io",
    plural: "certificaterequests",
    namespaced: true,
    aliases: ["certificaterequest", "certificaterequests", "cr", "crs"],
  },
  {
    kind: "Issuer",
    qualified: "issuer.cert-manager.io",
    plural: "issuers",
    namespaced: true,
    aliases: ["issuer", "issuers"],
  },
  {
    kind: "ClusterIssuer",
    qualified: "clusterissuer.cert-manager.io",
    plural: "clusterissuers",
    namespaced: false,
    aliases: ["clusterissuer", "clusterissuers"],
  },
  {
    kind: "Secret",
    qualified: "secret",
    plural: "secrets",
    namespaced: true,
    aliases: ["secret", "secrets"],
  },
  {
    kind: "Order",
    qualified: "order.acme.cert-manager.io",
    plural: "orders",
    namespaced: true,
    aliases: ["order", "orders"],
  },
  {
    kind: "Challenge",
    qualified: "challenge.acme.cert-manager.io",
    plural: "challenges",
    namespaced: true,
    aliases: ["challenge", "challenges"],
  },
  {
    kind: "Namespace",
    qualified: "namespace",
    plural: "namespaces",
    namespaced: false,
    aliases: ["namespace", "namespaces", "ns"],
  },
  {
    kind: "SecretTarget",
    qualified: "secrettarget.certplane.io",
    plural: "secrettargets",
    namespaced: false,
    aliases: ["secrettarget", "secrettargets", "st"],
  },
  {
    kind: "Ingress",
    qualified: "ingress.networking.k8s.io",
    plural: "ingresses",
    namespaced: true,
    aliases: ["ingress", "ingresses", "ing", "ingress.networking.k8s.io", "ingresses.networking.k8s.io"],
  },
];

/** `Certificates.cert-manager.io` → `certificates`: the groups certplane serves are implied. */
function withoutGroup(word: string): string {
  return word.toLowerCase().replace(/\.((acme\.)?cert-manager|certplane)\.io$/, "");
}

/** Reads a resource type as kubectl users type it: `certs`, `cr`, `certificates.cert-manager.io`. */
export function resolveKind(
  word: string | undefined,
  accepted: readonly ResourceKind[] = allKinds(),
): KindInfo {
  const typed = withoutGroup(word ?? "");
  const info = kinds.find((k) => accepted.includes(k.kind) && k.aliases.includes(typed));
  if (info !== undefined) return info;
  const list = kinds
    .filter((k) => accepted.includes(k.kind))
    .map((k) => k.plural)
    .join(", ");
  const what = word === undefined ? "missing resource type" : `unknown resource type "${word}"`;
  throw usageError(`${what}; accepted: ${list}`);
}

/** The plural a kubectl alias stands for (`certs` → `certificates`); undefined when it is none. */
export function kindAliasPlural(word: string): string | undefined {
  const typed = withoutGroup(word);
  return kinds.find((k) => k.aliases.includes(typed))?.plural;
}

/** Every resource type's plural, as `get` and shell completion offer them. */
export function kindPlurals(): readonly string[] {
  return kinds.map((k) => k.plural);
}

export function kindInfo(kind: string): KindInfo | undefined {
  return kinds.find((k) => k.kind === kind);
}

/** `certificate.cert-manager.io`, or the lower-cased kind for kinds certplane does not list. */
export function qualifiedKind(kind: string): string {
  return kindInfo(kind)?.qualified ?? kind.toLowerCase();
}

function allKinds(): ResourceKind[] {
  return kinds.map((k) => k.kind);
}

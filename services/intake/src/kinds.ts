// What intake knows about each kind the API names: how kubectl spells it in errors, where its
// events live, and whether it is namespaced.
import type { ResourceKind } from "@certplane/api";
import { NotFoundError, ValidationError } from "@certplane/domain";
import type { StreamCategory } from "@certplane/domain/model";
import { parseStreamName, primaryStreamOf, streams } from "@certplane/domain/model";

interface KindFacts {
  /** `<plural>.<group>` as kubectl prints it in "not found" errors. */
  readonly resource: string;
  readonly apiVersion: string;
  readonly namespaced: boolean;
  readonly category?: StreamCategory;
}

export const kindFacts: Readonly<Record<ResourceKind, KindFacts>> = {
  Certificate: {
    resource: "certificates.cert-manager.io",
    apiVersion: "cert-manager.io/v1",
    namespaced: true,
    category: "certificate",
  },
  CertificateRequest: {
    resource: "certificaterequests.cert-manager.io",
    apiVersion: "cert-manager.io/v1",
    namespaced: true,
    category: "certificateRequest",
  },
  Issuer: {
    resource: "issuers.cert-manager.io",
    apiVersion: "cert-manager.io/v1",
    namespaced: true,
    category: "issuer",
  },
  ClusterIssuer: {
    resource: "clusterissuers.cert-manager.io",
    apiVersion: "cert-manager.io/v1",
    namespaced: false,
    category: "clusterIssuer",
  },
  Secret: { resource: "secrets", apiVersion: "v1", namespaced: true, category: "secret" },
  Order: {
    resource: "orders.acme.cert-manager.io",
    apiVersion: "acme.cert-manager.io/v1",
    namespaced: true,
    category: "order",
  },
  Challenge: {
    resource: "challenges.acme.cert-manager.io",
    apiVersion: "acme.cert-manager.io/v1",
    namespaced: true,
    category: "challenge",
  },
  Namespace: { resource: "namespaces", apiVersion: "v1", namespaced: false },
  SecretTarget: {
    resource: "secrettargets.certplane.io",
    apiVersion: "certplane.io/v1alpha1",
    namespaced: false,
    category: "secretTarget",
  },
  Ingress: { resource: "ingresses.networking.k8s.io", apiVersion: "networking.k8s.io/v1", namespaced: true },
};

const kindByCategory = new Map(
  Object.entries(kindFacts).flatMap(([kind, facts]) =>
    facts.category ? [[facts.category, kind as ResourceKind] as const] : [],
  ),
);

/** The kind of objects a category's streams belong to; a companion category names its object's kind. */
export function kindOfCategory(category: string): ResourceKind | undefined {
  const primary = parseStreamName(primaryStreamOf(`${category}-x`)).category;
  return kindByCategory.get(primary);
}

export function requireKnownKind(kind: string): ResourceKind {
  if (Object.hasOwn(kindFacts, kind)) return kind as ResourceKind;
  throw ValidationError.of("kind", "notSupported", `unknown kind ${JSON.stringify(kind)}`);
}

export function notFound(kind: ResourceKind, name: string): NotFoundError {
  return new NotFoundError(`${kindFacts[kind].resource} "${name}" not found`);
}

/** `Certificate demo-apps/myapp-tls`, `ClusterIssuer demo-ca-issuer`: how messages name an object. */
export function describeObject(kind: string, name: string, namespace?: string): string {
  return namespace === undefined ? `${kind} ${name}` : `${kind} ${namespace}/${name}`;
}

/** The namespace a request addresses: none for cluster-scoped kinds, else the given one or `default`. */
export function namespaceFor(kind: ResourceKind, namespace: string | undefined): string | undefined {
  return kindFacts[kind].namespaced ? namespace || "default" : undefined;
}

export function streamOf(kind: ResourceKind, name: string, namespace: string | undefined): string {
  const category = kindFacts[kind].category;
  if (!category) throw ValidationError.of("kind", "notSupported", `${kind} is not stored by intake`);
  if (category === "clusterIssuer") return streams.clusterIssuer(name);
  if (category === "secretTarget") return streams.secretTarget(name);
  if (category === "publication")
    throw ValidationError.of("kind", "notSupported", `${kind} is not stored by intake`);
  return streams[category](namespace ?? "default", name);
}

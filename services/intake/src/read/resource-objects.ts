// Stored state as the API shows it: Kubernetes-shaped objects whose status is computed at read
// time, with `[]byte` fields base64-encoded as Kubernetes does, and never a private key.
import type { ResourceObject } from "@certplane/api";
import type {
  ActiveCertificate,
  CertificatePublication,
  ExistingCertificateRequest,
  ExistingChallenge,
  ExistingIssuer,
  ExistingOrder,
  ExistingSecretTarget,
  PublicationState,
  SecretState,
  StoredObjectMeta,
} from "@certplane/domain/model";
import { certificateStatus, isChallengeFinal, issuerReadyCondition } from "@certplane/domain/model";
import { kindFacts } from "../kinds.ts";

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

function metadataOf(meta: StoredObjectMeta): ResourceObject["metadata"] {
  return {
    name: meta.name,
    ...(meta.namespace === undefined ? {} : { namespace: meta.namespace }),
    uid: meta.uid,
    generation: meta.generation,
    creationTimestamp: meta.creationTimestamp,
    ...(meta.labels ? { labels: meta.labels } : {}),
    ...(meta.annotations ? { annotations: meta.annotations } : {}),
  };
}

/** `publication` adds certplane's `Published` condition and `status.publications`, one per target. */
export function certificateObject(
  state: ActiveCertificate,
  now: Date,
  publication?: CertificatePublication,
): ResourceObject {
  const status = certificateStatus(state, now);
  if (publication === undefined || publication.targets.length === 0)
    return {
      apiVersion: kindFacts.Certificate.apiVersion,
      kind: "Certificate",
      metadata: metadataOf(state.meta),
      spec: state.spec,
      status,
    };
  return {
    apiVersion: kindFacts.Certificate.apiVersion,
    kind: "Certificate",
    metadata: metadataOf(state.meta),
    spec: state.spec,
    status: {
      ...status,
      conditions: [...status.conditions, ...(publication.condition ? [publication.condition] : [])],
      publications: publication.targets,
    },
  };
}

export function secretTargetObject(
  state: ExistingSecretTarget,
  publications: readonly PublicationState[],
): ResourceObject {
  const failing = publications.filter((p) => p.failure !== undefined);
  const published = publications.filter((p) => p.published !== undefined && p.failure === undefined);
  const latest = failing
    .map((p) => p.failure!)
    .sort((a, b) => a.failedAt.localeCompare(b.failedAt))
    .at(-1);
  // The publisher's own check of the destination (credentials, reachability, TLS) comes first: it
  // also speaks for a target that has nothing to publish yet.
  const unreachable =
    state.readiness?.status === "False" && state.readiness.observedGeneration === state.meta.generation
      ? state.readiness
      : undefined;
  return {
    apiVersion: kindFacts.SecretTarget.apiVersion,
    kind: "SecretTarget",
    metadata: metadataOf(state.meta),
    spec: state.spec,
    status: {
      conditions: [
        unreachable !== undefined
          ? {
              type: "Ready",
              status: "False",
              reason: unreachable.reason,
              message: unreachable.message,
              lastTransitionTime: unreachable.at,
              observedGeneration: unreachable.observedGeneration,
            }
          : latest === undefined
            ? {
                type: "Ready",
                status: "True",
                // "Ready" once the publisher has checked the destination; "Publishing" until then.
                reason: state.readiness?.status === "True" ? "Ready" : "Publishing",
                message: `${published.length} Secret(s) published, none failing`,
                lastTransitionTime: state.readiness?.at ?? state.meta.creationTimestamp,
                observedGeneration: state.meta.generation,
              }
            : {
                type: "Ready",
                status: "False",
                reason: latest.reason,
                message: `${failing.length} Secret(s) failing to publish; latest: ${latest.message}`,
                lastTransitionTime: latest.failedAt,
                observedGeneration: state.meta.generation,
              },
      ],
      published: published.length,
      failing: failing.length,
    },
  };
}

export function certificateRequestObject(state: ExistingCertificateRequest): ResourceObject {
  return {
    apiVersion: kindFacts.CertificateRequest.apiVersion,
    kind: "CertificateRequest",
    metadata: metadataOf(state.meta),
    spec: { ...state.spec, request: base64(state.spec.request) },
    status: {
      conditions: state.conditions,
      ...(state.certificate === undefined ? {} : { certificate: base64(state.certificate) }),
      ...(state.ca === undefined ? {} : { ca: base64(state.ca) }),
      // Not in cert-manager's API: what the issuer warned about when it signed (Vault's TTL cap).
      ...(state.warnings?.length ? { warnings: state.warnings } : {}),
      ...(state.failureTime === undefined ? {} : { failureTime: state.failureTime }),
    },
  };
}

export function issuerObject(kind: "Issuer" | "ClusterIssuer", state: ExistingIssuer): ResourceObject {
  return {
    apiVersion: kindFacts[kind].apiVersion,
    kind,
    metadata: metadataOf(state.meta),
    spec: state.spec,
    status: { conditions: [issuerReadyCondition(state)] },
  };
}

export function secretObject(state: Extract<SecretState, { status: "present" }>): ResourceObject {
  const { content } = state;
  return {
    apiVersion: kindFacts.Secret.apiVersion,
    kind: "Secret",
    metadata: {
      name: state.name,
      namespace: state.namespace,
      creationTimestamp: state.createdAt,
      ...(content.labels ? { labels: content.labels } : {}),
      ...(content.annotations ? { annotations: content.annotations } : {}),
    },
    type: content.type,
    data: Object.fromEntries(Object.entries(content.data).map(([key, value]) => [key, base64(value)])),
  };
}

const optional = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value });

export function orderObject(state: ExistingOrder): ResourceObject {
  const { meta, spec } = state;
  return {
    apiVersion: kindFacts.Order.apiVersion,
    kind: "Order",
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      creationTimestamp: state.createdAt,
      ...(meta.labels ? { labels: meta.labels } : {}),
    },
    spec: { ...spec, request: base64(spec.request) },
    status: {
      ...optional("url", state.url),
      ...optional("finalizeURL", state.finalizeURL),
      // cert-manager's authorization shape; identifierType is certplane's own and stays internal.
      ...optional(
        "authorizations",
        state.authorizations?.map(({ identifierType: _type, ...authorization }) => authorization),
      ),
      ...optional("certificate", state.certificate === undefined ? undefined : base64(state.certificate)),
      ...optional("state", state.state || undefined),
      ...optional("reason", state.reason),
      ...optional("failureTime", state.failureTime),
    },
  };
}

export function challengeObject(state: ExistingChallenge): ResourceObject {
  const { meta } = state;
  return {
    apiVersion: kindFacts.Challenge.apiVersion,
    kind: "Challenge",
    metadata: { name: meta.name, namespace: meta.namespace, creationTimestamp: state.createdAt },
    spec: state.spec,
    status: {
      // certplane works on every challenge at once; cert-manager's scheduler flag is true until final.
      processing: !isChallengeFinal(state),
      presented: state.presented,
      ...optional("presentedAt", state.presentedAt),
      ...optional("reason", state.reason),
      ...optional("state", state.state || undefined),
    },
  };
}

export function namespaceObject(name: string): ResourceObject {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name }, status: { phase: "Active" } };
}

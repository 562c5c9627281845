// Stored state as the API shows it: Kubernetes-shaped objects whose status is computed at read
// time, with `[]byte` fields base64-encoded as Kubernetes does, and never a private key.
import type { ResourceObject } from "@certplane/api";
import type {
  ActiveCertificate,
  ExistingCertificateRequest,
  ExistingIssuer,
  ObjectMeta,
  SecretState,
} from "@certplane/domain/model";
import { certificateStatus, issuerReadyCondition } from "@certplane/domain/model";
import { kindFacts } from "../kinds.ts";

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

function metadataOf(meta: ObjectMeta): ResourceObject["metadata"] {
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

export function certificateObject(state: ActiveCertificate, now: Date): ResourceObject {
  return {
    apiVersion: kindFacts.Certificate.apiVersion,
    kind: "Certificate",
    metadata: metadataOf(state.meta),
    spec: state.spec,
    status: certificateStatus(state, now),
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

export function namespaceObject(name: string): ResourceObject {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name }, status: { phase: "Active" } };
}

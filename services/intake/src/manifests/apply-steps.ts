// Each kind of manifest applied through its decider.
import type { ApplyResult } from "@certplane/api";
import type { Certificate, CertificateRequest, ClusterIssuer, Issuer, SecretTarget } from "@certplane/domain";
import type {
  CertificateCommand,
  CertificateRequestCommand,
  IssuerCommand,
  SecretTargetCommand,
  UserMeta,
} from "@certplane/domain/model";
import {
  certificateDecider,
  certificateRequestDecider,
  issuerDecider,
  secretTargetDecider,
  streams,
} from "@certplane/domain/model";
import { importOpaqueSecretStep } from "../secrets/import-opaque-secret.ts";
import { importTlsSecretStep, type Sealer } from "../secrets/import-tls-secret.ts";
import { sealKeystorePasswords } from "../secrets/seal-keystore-passwords.ts";
import { opaqueSecretType, secretEntries, tlsPairOf, tlsSecretType } from "../secrets/secret-manifest.ts";
import type { ApplyStep } from "./apply-step.ts";
import { streamApplyStep } from "./apply-step.ts";
import type { AppliableResource } from "./validate-documents.ts";

export interface StepDependencies {
  readonly newId: () => string;
  readonly sealer: Sealer;
  readonly actor: string;
}

function userMeta(metadata: {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}): UserMeta {
  return {
    ...(metadata.labels ? { labels: metadata.labels } : {}),
    ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
  };
}

function certificateStep(resource: Certificate, deps: StepDependencies): ApplyStep {
  const { name, namespace = "default" } = resource.metadata;
  return streamApplyStep({
    stream: streams.certificate(namespace, name),
    decider: certificateDecider,
    exists: (state) => state.status === "active",
    command: (_state, now): CertificateCommand => ({
      type: "ApplyCertificate",
      name,
      namespace,
      spec: sealKeystorePasswords(deps.sealer.kek, { namespace, name }, resource.spec),
      uid: deps.newId(),
      now: now.toISOString(),
      ...userMeta(resource.metadata),
    }),
  });
}

function issuerStep(resource: Issuer | ClusterIssuer, deps: StepDependencies): ApplyStep {
  const { name, namespace } = resource.metadata;
  const scoped = resource.kind === "Issuer" ? (namespace ?? "default") : undefined;
  return streamApplyStep({
    stream: scoped === undefined ? streams.clusterIssuer(name) : streams.issuer(scoped, name),
    decider: issuerDecider,
    exists: (state) => state.status === "active",
    command: (_state, now): IssuerCommand => ({
      type: "ApplyIssuer",
      name,
      ...(scoped === undefined ? {} : { namespace: scoped }),
      spec: resource.spec,
      uid: deps.newId(),
      now: now.toISOString(),
      ...userMeta(resource.metadata),
    }),
  });
}

/** A CertificateRequest's spec is immutable: re-applying the same one is a no-op, a different one is refused. */
function certificateRequestStep(resource: CertificateRequest, deps: StepDependencies): ApplyStep {
  const { name, namespace = "default" } = resource.metadata;
  return streamApplyStep({
    stream: streams.certificateRequest(namespace, name),
    decider: certificateRequestDecider,
    exists: (state) => state.status === "present",
    command: (_state, now): CertificateRequestCommand => ({
      type: "CreateCertificateRequest",
      meta: {
        name,
        namespace,
        uid: deps.newId(),
        generation: 1,
        creationTimestamp: now.toISOString(),
        ...userMeta(resource.metadata),
      },
      spec: { ...resource.spec, request: Buffer.from(resource.spec.request, "base64").toString("utf8") },
      now: now.toISOString(),
    }),
  });
}

function secretTargetStep(resource: SecretTarget, deps: StepDependencies): ApplyStep {
  const { name } = resource.metadata;
  return streamApplyStep({
    stream: streams.secretTarget(name),
    decider: secretTargetDecider,
    exists: (state) => state.status === "active",
    command: (_state, now): SecretTargetCommand => ({
      type: "ApplySecretTarget",
      name,
      spec: resource.spec,
      uid: deps.newId(),
      now: now.toISOString(),
      ...userMeta(resource.metadata),
    }),
  });
}

/** Namespaces exist implicitly in certplane: nothing is stored, so applying one never changes anything. */
const namespaceStep: ApplyStep = {
  preview: async () => "unchanged",
  apply: async () => "unchanged",
};

export function applyStepFor(resource: AppliableResource, deps: StepDependencies): ApplyStep {
  switch (resource.kind) {
    case "Certificate":
      return certificateStep(resource, deps);
    case "Issuer":
    case "ClusterIssuer":
      return issuerStep(resource, deps);
    case "CertificateRequest":
      return certificateRequestStep(resource, deps);
    case "Namespace":
      return namespaceStep;
    case "SecretTarget":
      return secretTargetStep(resource, deps);
    case "Secret": {
      const { name, namespace = "default" } = resource.metadata;
      const type = resource.type ?? opaqueSecretType;
      if (type !== tlsSecretType) {
        return importOpaqueSecretStep(deps.sealer, deps.actor, {
          name,
          namespace,
          type,
          entries: secretEntries(resource),
          ...userMeta(resource.metadata),
        });
      }
      // Validation has already required both halves of the pair.
      const pair = tlsPairOf(resource)!;
      return importTlsSecretStep(deps.sealer, deps.actor, {
        ...pair,
        name,
        namespace,
        ...userMeta(resource.metadata),
      });
    }
  }
}

export function resultOf(resource: AppliableResource): Omit<ApplyResult, "outcome"> {
  const { name, namespace } = resource.metadata;
  return { kind: resource.kind, name, ...(namespace === undefined ? {} : { namespace }) };
}

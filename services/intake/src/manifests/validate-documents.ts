// Every document is checked before anything is written, and all problems come back together,
// each naming its object (`Certificate demo-apps/x`) and the cert-manager field path.
import type {
  Certificate,
  CertificateRequest,
  ClusterIssuer,
  FieldIssue,
  Issuer,
  Namespace,
  Secret,
  SecretTarget,
} from "@certplane/domain";
import { resourceKinds, ValidationError, validateResource } from "@certplane/domain";
import { describeObject } from "../kinds.ts";
import {
  opaqueSecretType,
  secretEntries,
  secretManifestFields,
  tlsPairOf,
  tlsSecretType,
} from "../secrets/secret-manifest.ts";
import { tlsPairIssues } from "../secrets/tls-pair.ts";

export type AppliableResource =
  | Issuer
  | ClusterIssuer
  | Certificate
  | CertificateRequest
  | Namespace
  | Secret
  | SecretTarget;

const appliableKinds: ReadonlySet<string> = new Set<AppliableResource["kind"]>([
  "Issuer",
  "ClusterIssuer",
  "Certificate",
  "CertificateRequest",
  "Namespace",
  "Secret",
  "SecretTarget",
]);

export interface ValidDocument {
  readonly resource: AppliableResource;
  readonly object: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** kubectl's -n: namespaced objects that name no namespace land in the default one. */
function withNamespace(document: unknown, defaultNamespace: string): unknown {
  const record = asRecord(document);
  const metadata = asRecord(record?.metadata);
  const kind = record?.kind;
  if (!record || !metadata || typeof kind !== "string" || !Object.hasOwn(resourceKinds, kind))
    return document;
  if (!resourceKinds[kind as keyof typeof resourceKinds].namespaced || metadata.namespace !== undefined)
    return document;
  return { ...record, metadata: { ...metadata, namespace: defaultNamespace } };
}

function objectLabel(document: unknown, index: number): string {
  const record = asRecord(document);
  const metadata = asRecord(record?.metadata);
  const kind = typeof record?.kind === "string" ? record.kind : "";
  const name = typeof metadata?.name === "string" ? metadata.name : "";
  if (kind === "" || name === "") return `document ${index + 1}`;
  return describeObject(kind, name, typeof metadata?.namespace === "string" ? metadata.namespace : undefined);
}

function intakeIssues(resource: AppliableResource | { kind: string }): FieldIssue[] {
  if (!appliableKinds.has(resource.kind)) {
    return [
      {
        field: "kind",
        rule: "notSupported",
        message: `${resource.kind} objects are created by certplane, not applied`,
      },
    ];
  }
  if (resource.kind !== "Secret") return [];
  const secret = resource as Secret;
  if ((secret.type ?? opaqueSecretType) !== tlsSecretType) {
    return Object.keys(secretEntries(secret)).length === 0
      ? [
          {
            field: "data",
            rule: "required",
            message: "a Secret needs at least one entry in data or stringData",
          },
        ]
      : [];
  }
  const pair = tlsPairOf(secret);
  return pair ? tlsPairIssues(pair, secretManifestFields) : [];
}

export function validateDocuments(documents: readonly unknown[], defaultNamespace: string): ValidDocument[] {
  const valid: ValidDocument[] = [];
  const issues: FieldIssue[] = [];
  documents.forEach((raw, index) => {
    const document = withNamespace(raw, defaultNamespace);
    const object = objectLabel(document, index);
    const result = validateResource(document);
    const found = result.ok ? intakeIssues(result.resource) : result.error.issues;
    issues.push(...found.map((issue) => ({ ...issue, object })));
    if (result.ok && found.length === 0)
      valid.push({ resource: result.resource as AppliableResource, object });
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return valid;
}

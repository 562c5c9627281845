// The one entry point for user manifests: recognise the kind, parse the shape (the CRD's part),
// then run the kind's webhook checks (cert-manager's part). All issues are reported together.
import { type FieldIssue, ValidationError } from "../errors.ts";
import { kindInfoFor, type Resource, resourceKinds } from "../resources/resource.ts";
import { certificateChecks } from "./certificate-checks.ts";
import { certificateRequestChecks } from "./certificate-request-checks.ts";
import { issuerChecks } from "./issuer-checks.ts";
import { issuerRefChecks } from "./issuer-ref-checks.ts";
import { metadataChecks } from "./metadata-checks.ts";
import { metadataLabelChecks } from "./metadata-label-checks.ts";
import { runChecks } from "./policy-check.ts";
import {
  certificateReferenceNameChecks,
  certificateRequestReferenceNameChecks,
  issuerReferenceNameChecks,
} from "./reference-name-checks.ts";
import { secretChecks } from "./secret-checks.ts";
import { secretDataKeyChecks } from "./secret-data-key-checks.ts";
import { secretTargetChecks } from "./secret-target-checks.ts";
import { fieldIssuesFromZod } from "./zod-issues.ts";

export type ResourceValidation =
  | { readonly ok: true; readonly resource: Resource }
  | { readonly ok: false; readonly error: ValidationError };

function kindIssues(input: unknown): FieldIssue[] {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return [{ field: "", rule: "invalidType", message: "a resource must be an object" }];
  }
  const { apiVersion, kind } = input as { apiVersion?: unknown; kind?: unknown };
  if (typeof kind === "string" && Object.hasOwn(resourceKinds, kind)) {
    const expected = resourceKinds[kind as Resource["kind"]].apiVersion;
    return [
      {
        field: "apiVersion",
        rule: "notSupported",
        message: `${kind} is served as ${expected}, not ${JSON.stringify(apiVersion ?? "")}`,
      },
    ];
  }
  const known = Object.values(resourceKinds)
    .map((k) => `${k.apiVersion} ${k.kind}`)
    .join(", ");
  return [
    {
      field: "kind",
      rule: "notSupported",
      message: `unsupported kind ${JSON.stringify(kind ?? "")} (apiVersion ${JSON.stringify(apiVersion ?? "")}); supported: ${known}`,
    },
  ];
}

function checkIssues(resource: Resource): FieldIssue[] {
  const meta = [...runChecks(metadataChecks, resource), ...runChecks(metadataLabelChecks, resource)];
  switch (resource.kind) {
    case "Certificate":
      return [
        ...meta,
        ...runChecks(certificateChecks, resource),
        ...runChecks(certificateReferenceNameChecks, resource),
      ];
    case "CertificateRequest":
      return [
        ...meta,
        ...runChecks(certificateRequestChecks, resource),
        ...runChecks(certificateRequestReferenceNameChecks, resource),
      ];
    case "Issuer":
    case "ClusterIssuer":
      return [
        ...meta,
        ...runChecks(issuerChecks, resource),
        ...runChecks(issuerReferenceNameChecks, resource),
      ];
    case "Order":
    case "Challenge":
      return [...meta, ...runChecks(issuerRefChecks, resource)];
    case "Secret":
      return [...meta, ...runChecks(secretChecks, resource), ...runChecks(secretDataKeyChecks, resource)];
    case "SecretTarget":
      return [...meta, ...runChecks(secretTargetChecks, resource)];
    case "Namespace":
      return meta;
  }
}

export function validateResource(input: unknown): ResourceValidation {
  const info = kindInfoFor(
    (input as { apiVersion?: unknown } | null)?.apiVersion,
    (input as { kind?: unknown } | null)?.kind,
  );
  if (info === undefined) return { ok: false, error: new ValidationError(kindIssues(input)) };
  const parsed = info.schema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      error: new ValidationError(fieldIssuesFromZod(parsed.error, input), { cause: parsed.error }),
    };
  }
  const issues = checkIssues(parsed.data);
  return issues.length === 0
    ? { ok: true, resource: parsed.data }
    : { ok: false, error: new ValidationError(issues) };
}

/** validateResource for callers that prefer an exception. */
export function parseResource(input: unknown): Resource {
  const result = validateResource(input);
  if (!result.ok) throw result.error;
  return result.resource;
}

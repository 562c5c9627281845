// cert-manager's ValidateUpdateCertificateRequest, for a CertificateRequest applied again: its spec
// and its cert-manager annotations never change after creation, since the request was made by one
// user for one purpose and is being processed. Kubernetes would still let other labels and
// annotations change; certplane records a request's metadata once, so it refuses those changes
// rather than dropping them.
import type { FieldIssue } from "../../errors.ts";
import { jsonEqual } from "../object-meta.ts";
import type { CertificateRequestSpecFields } from "./events.ts";

const CERT_MANAGER_PREFIXES = ["cert-manager.io", "acme.cert-manager.io"];

interface RequestMetadata {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

const isCertManagerKey = (key: string) => CERT_MANAGER_PREFIXES.some((prefix) => key.startsWith(prefix));

/** cert-manager checks old against new and new against old: added, removed and changed keys all count. */
function certManagerAnnotationIssues(before: RequestMetadata, after: RequestMetadata): FieldIssue[] {
  const old = before.annotations ?? {};
  const next = after.annotations ?? {};
  const keys = new Set([...Object.keys(old), ...Object.keys(next)].filter(isCertManagerKey));
  return [...keys]
    .filter((key) => old[key] !== next[key])
    .sort()
    .map((key) => ({
      field: `metadata.annotations.${key}`,
      rule: "immutable",
      message: "cannot change cert-manager annotation after creation",
    }));
}

function otherMetadataIssues(before: RequestMetadata, after: RequestMetadata): FieldIssue[] {
  const others = (annotations: Readonly<Record<string, string>> | undefined) =>
    Object.fromEntries(Object.entries(annotations ?? {}).filter(([key]) => !isCertManagerKey(key)));
  return (["labels", "annotations"] as const).flatMap((field) => {
    const same =
      field === "labels"
        ? jsonEqual(before.labels ?? {}, after.labels ?? {})
        : jsonEqual(others(before.annotations), others(after.annotations));
    return same
      ? []
      : [
          {
            field: `metadata.${field}`,
            rule: "immutable",
            message: `certplane cannot change a CertificateRequest's ${field} after creation: delete it and create it again`,
          },
        ];
  });
}

interface AppliedRequest {
  readonly meta: RequestMetadata;
  readonly spec: CertificateRequestSpecFields;
}

/** What is wrong with applying `after` over the existing request `before`; none when nothing changes. */
export function recreateIssues(before: AppliedRequest, after: AppliedRequest): FieldIssue[] {
  return [
    ...certManagerAnnotationIssues(before.meta, after.meta),
    ...otherMetadataIssues(before.meta, after.meta),
    ...(jsonEqual(before.spec, after.spec)
      ? []
      : [{ field: "spec", rule: "immutable", message: "cannot change spec after creation" }]),
  ];
}

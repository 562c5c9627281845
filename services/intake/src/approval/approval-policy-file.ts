// CERTPLANE_APPROVAL_POLICY_FILE: approver-policy's CertificateRequestPolicy documents in one YAML
// file (multi-document), read once at start. A file that does not parse stops the start, as the
// access policy's does: approving under rules other than the ones written would be worse.

import { type FieldIssue, ValidationError } from "@certplane/domain";
import { type CertificateRequestPolicy, parseCertificateRequestPolicy } from "@certplane/domain/approval";
import { parseAllDocuments } from "yaml";
import { readConfigFile } from "../config-file.ts";

export const APPROVAL_POLICY_VARIABLE = "CERTPLANE_APPROVAL_POLICY_FILE";

function documentsOf(text: string, at: (field: string) => string): unknown[] {
  const documents = parseAllDocuments(text);
  const broken = documents.findIndex((document) => document.errors.length > 0);
  if (broken >= 0) {
    const message = documents[broken]!.errors[0]!.message.split("\n")[0];
    throw ValidationError.of(at(`[${broken}]`), "yaml", `is not valid YAML: ${message}`);
  }
  return documents
    .map((document) => document.toJS({ maxAliasCount: 100 }) as unknown)
    .filter((value) => value != null);
}

export function readApprovalPolicyFile(
  path: string,
  readFile: (path: string) => string,
): readonly CertificateRequestPolicy[] {
  const at = (field: string) => `${APPROVAL_POLICY_VARIABLE} (${path})${field}`;
  const text = readConfigFile(readFile, APPROVAL_POLICY_VARIABLE, path);
  const names = new Set<string>();
  return documentsOf(text, at).map((document, index) => {
    let policy: CertificateRequestPolicy;
    try {
      policy = parseCertificateRequestPolicy(document);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(
        error.issues.map((issue): FieldIssue => ({ ...issue, field: at(`[${index}]: ${issue.field}`) })),
      );
    }
    if (names.has(policy.name)) {
      throw ValidationError.of(
        at(`[${index}]: metadata.name`),
        "unique",
        `CertificateRequestPolicy "${policy.name}" is defined twice`,
      );
    }
    names.add(policy.name);
    return policy;
  });
}

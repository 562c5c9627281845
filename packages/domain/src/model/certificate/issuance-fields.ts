import type { CertificateSpec } from "../../resources/certificate.ts";
import { jsonEqual } from "../object-meta.ts";

/**
 * Spec fields whose change makes the issued certificate out of date (cert-manager compares the
 * same set between the current CertificateRequest and the spec). The rest (renewal timing,
 * secretTemplate, history limit, output formats) apply without a new certificate.
 */
export const issuanceRelevantFields = [
  "secretName",
  "commonName",
  "literalSubject",
  "subject",
  "dnsNames",
  "ipAddresses",
  "uris",
  "emailAddresses",
  "otherNames",
  "duration",
  "isCA",
  "usages",
  "encodeUsagesInRequest",
  "issuerRef",
  "privateKey",
  "signatureAlgorithm",
  "nameConstraints",
] as const satisfies readonly (keyof CertificateSpec)[];

export function changedIssuanceFields(before: CertificateSpec, after: CertificateSpec): string[] {
  return issuanceRelevantFields
    .filter((field) => !jsonEqual(before[field], after[field]))
    .map((f) => `spec.${f}`);
}

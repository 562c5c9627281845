// One rule of a CertificateRequestPolicy: named after the violation it detects, it reports each
// one at the policy field that forbids it, in the shape of Kubernetes field errors as
// approver-policy writes them (`spec.allowed.dnsNames.values: Invalid value: …: *.example.com`).
import type { CertificateRequestPolicy } from "./certificate-request-policy.ts";
import type { RequestedCertificate } from "./requested-certificate.ts";

export interface PolicyViolation {
  /** The policy field whose rule the request breaks. */
  readonly field: string;
  readonly message: string;
}

export interface PolicyRule {
  readonly name: string;
  readonly check: (
    policy: CertificateRequestPolicy,
    request: RequestedCertificate,
  ) => readonly PolicyViolation[];
}

export function invalid(field: string, value: unknown, allowed: string): PolicyViolation {
  return { field, message: `${field}: Invalid value: ${JSON.stringify(value)}: ${allowed}` };
}

export function required(field: string): PolicyViolation {
  return { field: `${field}.required`, message: `${field}.required: Required value: true` };
}

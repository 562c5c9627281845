export type { CertificateRequestPolicy } from "./certificate-request-policy.ts";
export { parseCertificateRequestPolicy } from "./certificate-request-policy.ts";
export type { PolicyVerdict } from "./decide-policy-approval.ts";
export { decidePolicyApproval } from "./decide-policy-approval.ts";
export type {
  PolicyTarget,
  RequestedCertificate,
  RequestedSubject,
  RequestReading,
} from "./requested-certificate.ts";
export { emptySubject } from "./requested-certificate.ts";

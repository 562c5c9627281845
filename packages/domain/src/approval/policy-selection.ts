// spec.selector: which requests a policy judges. Every selector given must match; an unset field
// of issuerRef matches any value, and names are approver-policy wildcards.
import type { CertificateRequestPolicy } from "./certificate-request-policy.ts";
import type { PolicyTarget } from "./requested-certificate.ts";
import { wildcardMatches } from "./wildcard.ts";

const matchesIfSet = (pattern: string | undefined, value: string) =>
  pattern === undefined || wildcardMatches(pattern, value);

export function policySelects(policy: CertificateRequestPolicy, target: PolicyTarget): boolean {
  const { issuerRef, namespace } = policy.selector;
  const issuerMatches =
    issuerRef === undefined ||
    (matchesIfSet(issuerRef.name, target.issuerRef.name) &&
      matchesIfSet(issuerRef.kind, target.issuerRef.kind) &&
      matchesIfSet(issuerRef.group, target.issuerRef.group));
  const namespaceMatches =
    namespace === undefined || namespace.matchNames.some((name) => wildcardMatches(name, target.namespace));
  return issuerMatches && namespaceMatches;
}

// Who approves a CertificateRequest: an ordered chain of named checks, the first that does not
// abstain decides (cert-manager's built-in approver, approver-policy's CertificateRequestPolicies
// and deny rules). When every check abstains the request waits for an external approver, or for
// `certctl approve`, as in cert-manager.
import {
  type CertificateRequestPolicy,
  decidePolicyApproval,
  type RequestReading,
} from "@certplane/domain/approval";

export interface ApprovalInput {
  readonly namespace: string;
  readonly name: string;
  /** With cert-manager's defaults applied: empty kind is Issuer, empty group cert-manager.io. */
  readonly issuerRef: { readonly name: string; readonly kind: string; readonly group: string };
  readonly annotations: Readonly<Record<string, string>>;
  /** What the CSR and spec ask for, for the policies. */
  readonly requested: RequestReading;
}

export type ApprovalVerdict =
  | { readonly decision: "approve"; readonly reason: string; readonly message: string }
  | { readonly decision: "deny"; readonly reason: string; readonly message: string }
  | { readonly decision: "abstain" };

export interface ApprovalCheck {
  readonly name: string;
  readonly check: (input: ApprovalInput) => ApprovalVerdict;
}

export type ApprovalPolicy = readonly ApprovalCheck[];

export const approverName = "cert-manager.io";
const abstain: ApprovalVerdict = { decision: "abstain" };
const builtInGroup = "cert-manager.io";

function deny(detail: string): ApprovalVerdict {
  return {
    decision: "deny",
    reason: approverName,
    message: `Certificate request has been denied by ${approverName}: ${detail}`,
  };
}

/**
 * cert-manager's approver, as its default RBAC lets it act: requests for the built-in issuer kinds
 * only; external issuer groups are left to their own approvers.
 */
export const autoApproveBuiltInIssuers: ApprovalCheck = {
  name: "autoApproveBuiltInIssuers",
  check: ({ issuerRef }) =>
    issuerRef.group === builtInGroup && (issuerRef.kind === "Issuer" || issuerRef.kind === "ClusterIssuer")
      ? {
          decision: "approve",
          reason: approverName,
          message: `Certificate request has been approved by ${approverName}`,
        }
      : abstain,
};

/** Entries are `name` (any kind) or `Kind/name`. */
export function issuerNotAllowed(entries: readonly string[]): ApprovalCheck {
  const matches = (input: ApprovalInput) =>
    entries.some((entry) => {
      const slash = entry.indexOf("/");
      if (slash < 0) return entry === input.issuerRef.name;
      return (
        entry.slice(0, slash) === input.issuerRef.kind && entry.slice(slash + 1) === input.issuerRef.name
      );
    });
  return {
    name: "issuerNotAllowed",
    check: (input) =>
      matches(input)
        ? deny(
            `requests for ${input.issuerRef.kind} "${input.issuerRef.name}" are not allowed by the approval policy`,
          )
        : abstain,
  };
}

export function namespaceNotAllowed(namespaces: readonly string[]): ApprovalCheck {
  return {
    name: "namespaceNotAllowed",
    check: ({ namespace }) =>
      namespaces.includes(namespace)
        ? deny(`requests from namespace "${namespace}" are not allowed by the approval policy`)
        : abstain,
  };
}

/**
 * approver-policy: a request some CertificateRequestPolicy selects is approved or denied by them
 * alone; one no policy selects is left to the checks after this one.
 */
export function certificateRequestPolicies(policies: readonly CertificateRequestPolicy[]): ApprovalCheck {
  return {
    name: "certificateRequestPolicies",
    check: (input) => decidePolicyApproval(policies, input, input.requested),
  };
}

export function decideApproval(
  policy: ApprovalPolicy,
  input: ApprovalInput,
): ApprovalVerdict & { readonly check?: string } {
  for (const { name, check } of policy) {
    const verdict = check(input);
    if (verdict.decision !== "abstain") return { ...verdict, check: name };
  }
  return abstain;
}

export interface ApprovalConfig {
  readonly autoApprove: boolean;
  readonly denyIssuers: readonly string[];
  readonly denyNamespaces: readonly string[];
  /** CERTPLANE_APPROVAL_POLICY_FILE's CertificateRequestPolicies; empty: none. */
  readonly policies: readonly CertificateRequestPolicy[];
}

/**
 * Deny rules first, so they win over everything; then the policies, so a request they select is
 * theirs to judge whether or not auto-approval is on; the auto-approver takes the rest.
 */
export function approvalPolicyFromConfig(config: ApprovalConfig): ApprovalPolicy {
  return [
    ...(config.denyIssuers.length > 0 ? [issuerNotAllowed(config.denyIssuers)] : []),
    ...(config.denyNamespaces.length > 0 ? [namespaceNotAllowed(config.denyNamespaces)] : []),
    ...(config.policies.length > 0 ? [certificateRequestPolicies(config.policies)] : []),
    ...(config.autoApprove ? [autoApproveBuiltInIssuers] : []),
  ];
}

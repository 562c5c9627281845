// approver-policy's verdict: of the policies that select a request, one that it breaks no rule of
// approves it; when every one of them is broken, the request is denied with each policy's
// violations, so the message names the rule that denied it. No policy selecting it: no verdict,
// and the approver's other checks decide as before.
import { allowedRules } from "./allowed-rules.ts";
import type { CertificateRequestPolicy } from "./certificate-request-policy.ts";
import { constraintRules } from "./constraint-rules.ts";
import type { PolicyRule, PolicyViolation } from "./policy-rule.ts";
import { policySelects } from "./policy-selection.ts";
import type { PolicyTarget, RequestReading } from "./requested-certificate.ts";

/** approver-policy's reason on the conditions it sets. */
const policyApproverName = "policy.cert-manager.io";

/** Allowed first, then constraints, as approver-policy evaluates them. */
export const policyRules: readonly PolicyRule[] = [...allowedRules, ...constraintRules];

export type PolicyVerdict =
  | { readonly decision: "abstain" }
  | { readonly decision: "approve" | "deny"; readonly reason: string; readonly message: string };

interface Judgement {
  readonly policy: string;
  readonly violations: readonly PolicyViolation[];
}

function judge(policy: CertificateRequestPolicy, reading: RequestReading): Judgement {
  const violations = reading.ok
    ? policyRules.flatMap((rule) => rule.check(policy, reading.request))
    : [{ field: "spec.request", message: `spec.request: ${reading.message}` }];
  return { policy: policy.name, violations };
}

export function decidePolicyApproval(
  policies: readonly CertificateRequestPolicy[],
  target: PolicyTarget,
  reading: RequestReading,
): PolicyVerdict {
  const selecting = policies.filter((policy) => policySelects(policy, target));
  if (selecting.length === 0) return { decision: "abstain" };
  const judgements = selecting
    .map((policy) => judge(policy, reading))
    .sort((a, b) => a.policy.localeCompare(b.policy));
  const approving = judgements.find((judgement) => judgement.violations.length === 0);
  if (approving !== undefined) {
    return {
      decision: "approve",
      reason: policyApproverName,
      message: `Approved by CertificateRequestPolicy "${approving.policy}"`,
    };
  }
  const details = judgements.map(
    (judgement) => `[${judgement.policy}: ${judgement.violations.map((v) => v.message).join("; ")}]`,
  );
  return {
    decision: "deny",
    reason: policyApproverName,
    message: `No policy approved this request: ${details.join(" ")}`,
  };
}

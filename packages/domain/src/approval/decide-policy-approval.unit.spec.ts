import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "../errors.ts";
import {
  type CertificateRequestPolicy,
  parseCertificateRequestPolicy,
} from "./certificate-request-policy.ts";
import { decidePolicyApproval } from "./decide-policy-approval.ts";
import { policySelects } from "./policy-selection.ts";
import {
  emptySubject,
  type PolicyTarget,
  type RequestedCertificate,
  type RequestReading,
} from "./requested-certificate.ts";

const requested: RequestedCertificate = {
  subject: emptySubject,
  dnsNames: ["web.example.com"],
  ipAddresses: [],
  uris: [],
  emailAddresses: [],
  isCA: false,
  usages: [],
  durationMs: 90 * 24 * 3600 * 1000,
  privateKey: { algorithm: "ECDSA", size: 256 },
};
const reading: RequestReading = { ok: true, request: requested };
const target: PolicyTarget = {
  namespace: "demo-apps",
  issuerRef: { name: "demo-ca-issuer", kind: "ClusterIssuer", group: "cert-manager.io" },
};

function policy(name: string, spec: Record<string, unknown>): CertificateRequestPolicy {
  return parseCertificateRequestPolicy({
    apiVersion: "policy.cert-manager.io/v1alpha1",
    kind: "CertificateRequestPolicy",
    metadata: { name },
    spec,
  });
}

const exampleCom = policy("example-com", {
  allowed: { dnsNames: { values: ["*.example.com"] } },
  selector: { issuerRef: { name: "demo-ca-issuer", kind: "ClusterIssuer" } },
});

describe("policy selection (spec.selector)", () => {
  const cases: readonly { name: string; selector: Record<string, unknown>; selects: boolean }[] = [
    { name: "issuerRef {} selects every issuer", selector: { issuerRef: {} }, selects: true },
    { name: "issuerRef name by wildcard", selector: { issuerRef: { name: "demo-*" } }, selects: true },
    { name: "another issuer's name", selector: { issuerRef: { name: "other" } }, selects: false },
    {
      name: "the same name of another kind",
      selector: { issuerRef: { name: "demo-ca-issuer", kind: "Issuer" } },
      selects: false,
    },
    { name: "another group", selector: { issuerRef: { group: "awspca.cert-manager.io" } }, selects: false },
    {
      name: "namespace.matchNames by wildcard",
      selector: { namespace: { matchNames: ["demo-*"] } },
      selects: true,
    },
    { name: "another namespace", selector: { namespace: { matchNames: ["sandbox"] } }, selects: false },
    {
      name: "both given: both must match",
      selector: { issuerRef: {}, namespace: { matchNames: ["sandbox"] } },
      selects: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(policySelects(policy("p", { selector: c.selector }), target), c.selects);
    });
  }
});

describe("the policy approver's verdict", () => {
  it("decides nothing when no policy selects the request, so the other checks decide as before", () => {
    const elsewhere = policy("elsewhere", { selector: { issuerRef: { name: "other" } } });
    assert.deepEqual(decidePolicyApproval([elsewhere], target, reading), { decision: "abstain" });
    assert.deepEqual(decidePolicyApproval([], target, reading), { decision: "abstain" });
  });

  it("approves with approver-policy's reason and message, naming the policy", () => {
    assert.deepEqual(decidePolicyApproval([exampleCom], target, reading), {
      decision: "approve",
      reason: "policy.cert-manager.io",
      message: 'Approved by CertificateRequestPolicy "example-com"',
    });
  });

  it("denies naming the rule and the value that broke it", () => {
    const evil = { ok: true as const, request: { ...requested, dnsNames: ["evil.other.com"] } };
    assert.deepEqual(decidePolicyApproval([exampleCom], target, evil), {
      decision: "deny",
      reason: "policy.cert-manager.io",
      message:
        'No policy approved this request: [example-com: spec.allowed.dnsNames.values: Invalid value: ["evil.other.com"]: *.example.com]',
    });
  });

  it("approves when any selecting policy allows the request, and denies listing every policy otherwise", () => {
    const other = policy("other-com", {
      allowed: { dnsNames: { values: ["*.other.com"] } },
      selector: { issuerRef: {} },
    });
    const evil = { ok: true as const, request: { ...requested, dnsNames: ["evil.other.com"] } };
    assert.equal(decidePolicyApproval([exampleCom, other], target, evil).decision, "approve");
    const nowhere = { ok: true as const, request: { ...requested, dnsNames: ["x.nowhere.net"] } };
    const verdict = decidePolicyApproval([other, exampleCom], target, nowhere);
    assert.equal(verdict.decision, "deny");
    assert.match(
      verdict.decision === "deny" ? verdict.message : "",
      /^No policy approved this request: \[example-com: .*\] \[other-com: .*\]$/,
    );
  });

  it("denies a request whose CSR cannot be read when a policy selects it", () => {
    const verdict = decidePolicyApproval([exampleCom], target, {
      ok: false,
      message: "CSR is not valid PKCS#10 DER",
    });
    assert.equal(verdict.decision, "deny");
    assert.equal(
      verdict.decision === "deny" ? verdict.message : "",
      "No policy approved this request: [example-com: spec.request: CSR is not valid PKCS#10 DER]",
    );
  });
});

describe("reading a CertificateRequestPolicy", () => {
  const refusal = (document: unknown) => {
    try {
      parseCertificateRequestPolicy(document);
    } catch (error) {
      assert.ok(error instanceof ValidationError);
      return error.issues.map((issue) => `${issue.field} ${issue.rule}`);
    }
    assert.fail("the policy should have been refused");
  };
  const document = (spec: Record<string, unknown>) => ({
    apiVersion: "policy.cert-manager.io/v1alpha1",
    kind: "CertificateRequestPolicy",
    metadata: { name: "p" },
    spec: { selector: { issuerRef: {} }, ...spec },
  });

  it("refuses what it cannot evaluate by name, rather than allowing more than it says", () => {
    assert.deepEqual(refusal(document({ allowed: { dnsNames: { validations: [{ rule: "self" }] } } })), [
      "spec.allowed.dnsNames.validations unknownField",
    ]);
    assert.ok(
      refusal(document({ selector: { namespace: { matchLabels: { team: "a" } } } })).includes(
        "spec.selector.namespace.matchLabels unknownField",
      ),
    );
  });

  it("needs a selector, valid durations and bounds in order", () => {
    assert.deepEqual(refusal(document({ selector: {} })), ["spec.selector required"]);
    assert.deepEqual(refusal(document({ constraints: { maxDuration: "a day" } })), [
      "spec.constraints.maxDuration goDuration",
    ]);
    assert.deepEqual(refusal(document({ constraints: { minDuration: "48h", maxDuration: "24h" } })), [
      "spec.constraints.minDuration notAboveMaxDuration",
    ]);
    assert.deepEqual(refusal(document({ constraints: { privateKey: { minSize: 4096, maxSize: 2048 } } })), [
      "spec.constraints.privateKey.minSize notAboveMaxSize",
    ]);
  });
});

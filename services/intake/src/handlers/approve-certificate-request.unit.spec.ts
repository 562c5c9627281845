import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { afterEach, describe, it } from "node:test";
import type { ExistingCertificateRequest } from "@certplane/domain/model";
import { certificateRequestDecider } from "@certplane/domain/model";
import { createCsr } from "@certplane/pki";
import { pollUntil } from "@certplane/testing";
import { decideApproval, issuerNotAllowed } from "../approval/approval-policy.ts";
import { parseIntakeConfig } from "../config.ts";
import { createTestRequest, type Harness, startHarness } from "../testing/harness.ts";

async function decided(h: Harness, stream: string): Promise<ExistingCertificateRequest> {
  return pollUntil(
    async () => {
      const { state } = await h.runner.load(stream, certificateRequestDecider);
      return state.status === "present" && (state.approved || state.denied) ? state : undefined;
    },
    { what: "the request to be approved or denied" },
  );
}

describe("the approver", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it("approves a new request for a built-in issuer with cert-manager's condition", async () => {
    h = await startHarness();
    const stream = await createTestRequest(h, "demo-apps", "myapp-tls-1", {
      name: "demo-ca-issuer",
      kind: "ClusterIssuer",
    });
    const state = await decided(h, stream);
    const approved = state.conditions.find((c) => c.type === "Approved");
    assert.deepEqual(
      [approved?.status, approved?.reason, approved?.message],
      ["True", "cert-manager.io", "Certificate request has been approved by cert-manager.io"],
    );
    const events = (await h.store.read(stream)).events;
    // Intake decides, the signer (the request's owner) appends, for intake's automatic approval.
    assert.equal(events[1]?.metadata.actor, "service:intake");
    assert.equal(events[1]?.metadata.producer, "signer");
    assert.deepEqual(
      [events[1]?.metadata.command?.type, events[1]?.metadata.command?.sender],
      ["ApproveCertificateRequest", "intake"],
    );
    assert.equal(events[1]?.metadata.causationId, events[0]?.id);
    assert.equal(events[1]?.metadata.correlationId, events[0]?.metadata.correlationId);
  });

  it("denies requests for an issuer a configured rule names", async () => {
    h = await startHarness({
      config: parseIntakeConfig({ CERTPLANE_APPROVAL_DENY_ISSUERS: "ClusterIssuer/untrusted" }),
    });
    const denied = await createTestRequest(h, "demo-apps", "bad-1", {
      name: "untrusted",
      kind: "ClusterIssuer",
    });
    const allowed = await createTestRequest(h, "demo-apps", "good-1", { name: "untrusted" });
    const state = await decided(h, denied);
    assert.equal(state.denied, true);
    assert.equal(state.phase, "denied");
    const condition = state.conditions.find((c) => c.type === "Denied");
    assert.equal(condition?.reason, "cert-manager.io");
    assert.match(condition!.message, /ClusterIssuer "untrusted" are not allowed/);
    assert.equal((await decided(h, allowed)).approved, true, "an Issuer of the same name is another signer");
  });

  it("denies requests from a denied namespace", async () => {
    h = await startHarness({ config: parseIntakeConfig({ CERTPLANE_APPROVAL_DENY_NAMESPACES: "sandbox" }) });
    const stream = await createTestRequest(h, "sandbox", "x-1", { name: "selfsigned" });
    assert.equal((await decided(h, stream)).denied, true);
  });

  it("leaves requests for external issuer groups to their own approver", async () => {
    h = await startHarness();
    const external = await createTestRequest(h, "demo-apps", "pca-1", {
      name: "pca",
      kind: "AWSPCAIssuer",
      group: "awspca.cert-manager.io",
    });
    const builtIn = await createTestRequest(h, "demo-apps", "after-1", { name: "selfsigned" });
    await decided(h, builtIn);
    // The approver handles events in order, so the earlier request has been looked at too.
    assert.equal((await h.store.read(external)).events.length, 1);
  });
});

describe("the approver with CertificateRequestPolicies", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });
  const policies = `apiVersion: policy.cert-manager.io/v1alpha1
kind: CertificateRequestPolicy
metadata:
  name: example-com
spec:
  allowed:
    dnsNames:
      values: ["*.example.com"]
  selector:
    issuerRef:
      name: ca
`;
  const csrFor = async (dnsName: string) =>
    createCsr({ dnsNames: [dnsName] }, generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey);
  const withPolicies = (env: Record<string, string> = {}) =>
    startHarness({
      config: parseIntakeConfig(
        { CERTPLANE_APPROVAL_POLICY_FILE: "/policies.yaml", ...env },
        { readFile: () => policies },
      ),
    });

  it("approves a request a selecting policy allows, with approver-policy's condition, even with auto-approval off", async () => {
    h = await withPolicies({ CERTPLANE_APPROVAL_AUTO_APPROVE: "false" });
    const stream = await createTestRequest(
      h,
      "demo-apps",
      "web-1",
      { name: "ca" },
      { request: await csrFor("web.example.com") },
    );
    const approved = (await decided(h, stream)).conditions.find((c) => c.type === "Approved");
    assert.deepEqual(
      [approved?.reason, approved?.message],
      ["policy.cert-manager.io", 'Approved by CertificateRequestPolicy "example-com"'],
    );
  });

  it("denies a request the policy does not allow, naming the rule and the value", async () => {
    h = await withPolicies();
    const stream = await createTestRequest(
      h,
      "demo-apps",
      "evil-1",
      { name: "ca" },
      { request: await csrFor("evil.other.com") },
    );
    const state = await decided(h, stream);
    assert.equal(state.phase, "denied");
    assert.equal(
      state.conditions.find((c) => c.type === "Denied")?.message,
      'No policy approved this request: [example-com: spec.allowed.dnsNames.values: Invalid value: ["evil.other.com"]: *.example.com]',
    );
  });

  it("leaves a request no policy selects to the auto-approver, as before", async () => {
    h = await withPolicies();
    const stream = await createTestRequest(h, "demo-apps", "other-1", { name: "other-issuer" });
    const approved = (await decided(h, stream)).conditions.find((c) => c.type === "Approved");
    assert.equal(approved?.reason, "cert-manager.io");
  });
});

describe("approval policy", () => {
  const input = {
    namespace: "demo-apps",
    name: "x-1",
    issuerRef: { name: "ca", kind: "Issuer", group: "cert-manager.io" },
    annotations: {},
    requested: { ok: false as const, message: "not read: no policy looks at it" },
  };

  it("the first check that does not abstain decides, and says which it was", () => {
    const verdict = decideApproval(
      [
        { name: "neverMind", check: () => ({ decision: "abstain" }) },
        issuerNotAllowed(["ca"]),
        { name: "alwaysApprove", check: () => ({ decision: "approve", reason: "r", message: "m" }) },
      ],
      input,
    );
    assert.equal(verdict.decision, "deny");
    assert.equal(verdict.check, "issuerNotAllowed");
  });

  it("a policy where every check abstains decides nothing", () => {
    assert.deepEqual(decideApproval([], input), { decision: "abstain" });
  });

  it("config parsing refuses a flag that is not a boolean", () => {
    assert.throws(() => parseIntakeConfig({ CERTPLANE_APPROVAL_AUTO_APPROVE: "yes" }), {
      code: "VALIDATION",
    });
    assert.deepEqual(parseIntakeConfig({ CERTPLANE_APPROVAL_AUTO_APPROVE: "false" }).approval, {
      autoApprove: false,
      denyIssuers: [],
      denyNamespaces: [],
      policies: [],
    });
  });
});

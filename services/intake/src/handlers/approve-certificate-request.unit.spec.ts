import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { ExistingCertificateRequest } from "@certplane/domain/model";
import { certificateRequestDecider, streams } from "@certplane/domain/model";
import { pollUntil } from "@certplane/testing";
import { decideApproval, issuerNotAllowed } from "../approval/approval-policy.ts";
import { parseIntakeConfig } from "../config.ts";
import { type Harness, startHarness, testCommandContext } from "../testing/harness.ts";

async function createRequest(
  h: Harness,
  namespace: string,
  name: string,
  issuerRef: { name: string; kind?: string; group?: string },
): Promise<string> {
  const stream = streams.certificateRequest(namespace, name);
  const now = h.clock.now().toISOString();
  await h.runner.execute(
    stream,
    certificateRequestDecider,
    {
      type: "CreateCertificateRequest",
      meta: { name, namespace, uid: `${name}-uid`, generation: 1, creationTimestamp: now },
      spec: {
        request: "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n",
        issuerRef,
      },
      now,
    },
    testCommandContext,
  );
  return stream;
}

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
    const stream = await createRequest(h, "demo-apps", "myapp-tls-1", {
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
    const denied = await createRequest(h, "demo-apps", "bad-1", { name: "untrusted", kind: "ClusterIssuer" });
    const allowed = await createRequest(h, "demo-apps", "good-1", { name: "untrusted" });
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
    const stream = await createRequest(h, "sandbox", "x-1", { name: "selfsigned" });
    assert.equal((await decided(h, stream)).denied, true);
  });

  it("leaves requests for external issuer groups to their own approver", async () => {
    h = await startHarness();
    const external = await createRequest(h, "demo-apps", "pca-1", {
      name: "pca",
      kind: "AWSPCAIssuer",
      group: "awspca.cert-manager.io",
    });
    const builtIn = await createRequest(h, "demo-apps", "after-1", { name: "selfsigned" });
    await decided(h, builtIn);
    // The approver handles events in order, so the earlier request has been looked at too.
    assert.equal((await h.store.read(external)).events.length, 1);
  });
});

describe("approval policy", () => {
  const input = {
    namespace: "demo-apps",
    name: "x-1",
    issuerRef: { name: "ca", kind: "Issuer", group: "cert-manager.io" },
    annotations: {},
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
    });
  });
});

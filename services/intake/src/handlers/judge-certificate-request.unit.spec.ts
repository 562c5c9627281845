import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { ApiCaller, JudgeRequest } from "@certplane/api";
import { ForbiddenError, NotFoundError, ValidationError } from "@certplane/domain";
import { parseIntakeConfig } from "../config.ts";
import { createTestRequest, type Harness, startHarness } from "../testing/harness.ts";

const alice: ApiCaller = { actor: "x509:CN=alice", identities: ["x509:CN=alice"] };
const verdict = (decision: JudgeRequest["decision"], name = "web-1"): JudgeRequest => ({
  name,
  namespace: "demo-apps",
  decision,
  reason: "KubectlCertManager",
  message: `manually ${decision === "approve" ? "approved" : "denied"} by "certctl"`,
});
const manualApproval = () => parseIntakeConfig({ CERTPLANE_APPROVAL_AUTO_APPROVE: "false" });

const refusedAs = (field: string, pattern: RegExp) => (error: unknown) =>
  error instanceof ValidationError && error.field === field && pattern.test(error.message);

describe("judgeCertificateRequest (certctl approve / deny)", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it("approves a pending request with the caller's reason and message, recorded as the caller's action", async () => {
    h = await startHarness({ config: manualApproval() });
    const stream = await createTestRequest(h, "demo-apps", "web-1", { name: "ca" });
    assert.deepEqual(await h.intake.api.judgeCertificateRequest(verdict("approve"), alice), {
      namespace: "demo-apps",
      name: "web-1",
      decision: "approve",
    });
    const approved = (await h.store.read(stream)).events[1];
    assert.equal(approved?.type, "CertificateRequestApproved");
    assert.deepEqual(
      [approved?.metadata.actor, approved?.metadata.producer, approved?.metadata.command?.type],
      ["x509:CN=alice", "signer", "ApproveCertificateRequest"],
    );
    assert.ok(approved);
    const { reason, message } = approved.data as { reason: string; message: string };
    assert.deepEqual([reason, message], ["KubectlCertManager", 'manually approved by "certctl"']);
  });

  it("denies a pending request, which ends it", async () => {
    h = await startHarness({ config: manualApproval() });
    const stream = await createTestRequest(h, "demo-apps", "web-1", { name: "ca" });
    await h.intake.api.judgeCertificateRequest(verdict("deny"), alice);
    assert.deepEqual(
      (await h.store.read(stream)).events.map((event) => event.type),
      ["CertificateRequestCreated", "CertificateRequestDenied"],
    );
  });

  it("refuses a verdict on a request already approved or denied, as cmctl does, saying which", async () => {
    h = await startHarness({ config: manualApproval() });
    await createTestRequest(h, "demo-apps", "web-1", { name: "ca" });
    await createTestRequest(h, "demo-apps", "web-2", { name: "ca" });
    await h.intake.api.judgeCertificateRequest(verdict("approve"), alice);
    await h.intake.api.judgeCertificateRequest(verdict("deny", "web-2"), alice);
    await assert.rejects(
      h.intake.api.judgeCertificateRequest(verdict("deny"), alice),
      refusedAs("status.conditions", /: CertificateRequest is already approved$/),
    );
    await assert.rejects(
      h.intake.api.judgeCertificateRequest(verdict("approve", "web-2"), alice),
      refusedAs("status.conditions", /: CertificateRequest is already denied$/),
    );
  });

  it("refuses an unknown request, an empty name, an unknown decision and an empty reason or message, naming the field", async () => {
    h = await startHarness({ config: manualApproval() });
    await assert.rejects(
      h.intake.api.judgeCertificateRequest(verdict("approve", "nope"), alice),
      NotFoundError,
    );
    const api = h.intake.api;
    await assert.rejects(
      api.judgeCertificateRequest({ ...verdict("approve"), decision: "maybe" as "approve" }, alice),
      refusedAs("decision", /must be "approve" or "deny"/),
    );
    await assert.rejects(
      api.judgeCertificateRequest({ ...verdict("approve"), name: "" }, alice),
      refusedAs("name", /name the CertificateRequest/),
    );
    await assert.rejects(
      api.judgeCertificateRequest({ ...verdict("approve"), reason: "" }, alice),
      refusedAs("reason", /a reason must be given as to who approved/),
    );
    await assert.rejects(
      api.judgeCertificateRequest({ ...verdict("deny"), message: "" }, alice),
      refusedAs("message", /a message must be given as to why this CertificateRequest is denied/),
    );
  });

  it("needs the approve verb on certificaterequests in the request's namespace; update is not enough", async () => {
    const policyFile = `apiVersion: certplane.io/v1alpha1
kind: AccessPolicy
roles:
  - name: editor
    rules: [{ verbs: [get, list, update], resources: [certificaterequests] }]
  - name: approver
    rules: [{ verbs: [approve], resources: [certificaterequests] }]
bindings:
  - { role: editor, namespaces: [demo-apps], subjects: ["x509:CN=bob"] }
  - { role: approver, namespaces: [demo-apps], subjects: ["x509:CN=alice"] }
`;
    h = await startHarness({
      config: parseIntakeConfig(
        {
          CERTPLANE_APPROVAL_AUTO_APPROVE: "false",
          CERTPLANE_ACCESS_POLICY_FILE: "/policy.yaml",
          CERTPLANE_GRPC_ADDRESS: "127.0.0.1:7443",
        },
        { readFile: () => policyFile },
      ),
    });
    await createTestRequest(h, "demo-apps", "web-1", { name: "ca" });
    const bob: ApiCaller = { actor: "x509:CN=bob", identities: ["x509:CN=bob"] };
    await assert.rejects(
      h.intake.api.judgeCertificateRequest(verdict("approve"), bob),
      (error: unknown) =>
        error instanceof ForbiddenError && /cannot approve certificaterequests/.test(error.message),
    );
    assert.equal((await h.intake.api.judgeCertificateRequest(verdict("approve"), alice)).decision, "approve");
  });
});

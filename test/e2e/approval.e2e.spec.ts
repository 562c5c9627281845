// Approval as cert-manager has it, on the embedded control plane with auto-approval off and one
// approver-policy CertificateRequestPolicy for one issuer: the policy approves and denies what it
// selects, naming the rule it denied on; every other request waits for `certctl approve` or
// `certctl deny`, and history shows who gave each verdict.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { ResourceObject } from "@certplane/api";
import { pollUntil } from "@certplane/testing";
import { certctl, waitReady } from "./support/certctl.ts";
import type { TestEmbeddedPlane } from "./support/embedded-plane.ts";
import { startTestEmbeddedPlane } from "./support/embedded-plane.ts";

const policies = `apiVersion: policy.cert-manager.io/v1alpha1
kind: CertificateRequestPolicy
metadata:
  name: example-com
spec:
  allowed:
    dnsNames:
      values: ["*.example.com"]
    usages: ["digital signature", "key encipherment"]
  selector:
    issuerRef:
      name: policy-issuer
      kind: ClusterIssuer
`;

const issuers = ["policy-issuer", "manual-issuer"]
  .map(
    (name) =>
      `apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: ${name}\nspec:\n  selfSigned: {}\n`,
  )
  .join("---\n");

const certificate = (name: string, dnsName: string, issuer: string) => `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ${name}
  namespace: shop
spec:
  secretName: ${name}-tls
  dnsNames: ["${dnsName}"]
  issuerRef:
    name: ${issuer}
    kind: ClusterIssuer
`;

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

describe("approval: CertificateRequestPolicy, certctl approve and deny", () => {
  let embedded: TestEmbeddedPlane;
  let server: string;

  const apply = async (manifests: string) => {
    const applied = await embedded.plane.api.apply({ manifests });
    assert.ok(applied.results.length > 0);
  };
  const conditionsOf = async (kind: "Certificate" | "CertificateRequest", name: string) => {
    const { items } = await embedded.plane.api.get({ kind, name, namespace: "shop" });
    const [object] = items as readonly ResourceObject[];
    return ((object?.status as { conditions?: Condition[] } | undefined)?.conditions ?? []) as Condition[];
  };
  const condition = async (kind: "Certificate" | "CertificateRequest", name: string, type: string) =>
    (await conditionsOf(kind, name)).find((c) => c.type === type);
  const requestExists = (name: string) =>
    pollUntil(
      async () =>
        (await embedded.plane.api.get({ kind: "CertificateRequest", namespace: "shop" })).items.some(
          (item) => item.metadata.name === name,
        )
          ? true
          : undefined,
      { what: `CertificateRequest shop/${name}` },
    );
  const failedIssuance = (certificate: string) =>
    pollUntil(
      async () => {
        const found = await condition("Certificate", certificate, "Issuing");
        return found?.status === "False" ? found : undefined;
      },
      { what: `the failed issuance of Certificate shop/${certificate}` },
    );
  const waitRequest = (name: string, type: string) =>
    certctl(
      server,
      "wait",
      "certificaterequest",
      name,
      "-n",
      "shop",
      `--for=condition=${type}`,
      "--timeout=60s",
    );

  before(async () => {
    embedded = await startTestEmbeddedPlane(
      "certplane-approval-",
      (workDir) => ({
        CERTPLANE_APPROVAL_AUTO_APPROVE: "false",
        CERTPLANE_APPROVAL_POLICY_FILE: join(workDir, "policies.yaml"),
      }),
      (workDir) => writeFile(join(workDir, "policies.yaml"), policies),
    );
    ({ server } = embedded);
    await apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n${issuers}`);
    // Requests no policy selects, first: the approver takes requests in store order, so once a later
    // one is decided these have been looked at, and left waiting.
    await apply(
      `${certificate("manual", "manual.internal", "manual-issuer")}---\n${certificate("refused", "refused.internal", "manual-issuer")}`,
    );
    await requestExists("manual-1");
    await requestExists("refused-1");
    await apply(
      `${certificate("web", "web.example.com", "policy-issuer")}---\n${certificate("evil", "evil.other.com", "policy-issuer")}`,
    );
  });

  after(async () => {
    await embedded?.dispose();
  });

  test("the policy approves a request it allows, and the Certificate becomes Ready", async () => {
    const waited = await waitReady(server, "web", "shop");
    assert.equal(waited.code, 0, waited.stderr);
    const approved = await condition("CertificateRequest", "web-1", "Approved");
    assert.deepEqual(
      [approved?.reason, approved?.message],
      ["policy.cert-manager.io", 'Approved by CertificateRequestPolicy "example-com"'],
    );
  });

  test("the policy denies a request it does not allow, naming the rule, and the Certificate is not Ready", async () => {
    const waited = await waitRequest("evil-1", "Denied");
    assert.equal(waited.code, 0, waited.stderr);
    const denied = await condition("CertificateRequest", "evil-1", "Denied");
    assert.equal(denied?.reason, "policy.cert-manager.io");
    assert.equal(
      denied?.message,
      'No policy approved this request: [example-com: spec.allowed.dnsNames.values: Invalid value: ["evil.other.com"]: *.example.com]',
    );
    assert.equal((await condition("CertificateRequest", "evil-1", "Ready"))?.reason, "Denied");
    // cert-manager's issuing controller: Issuing=False with the Denied condition's reason and message.
    const issuing = await failedIssuance("evil");
    assert.equal(issuing.reason, "policy.cert-manager.io");
    assert.match(
      issuing.message,
      /^The certificate request has failed to complete and will be retried: No policy approved/,
    );
    assert.equal((await condition("Certificate", "evil", "Ready"))?.status, "False");
  });

  test("with auto-approval off a request no policy selects waits, until certctl approve", async () => {
    await waitReady(server, "web", "shop");
    assert.deepEqual(
      (await conditionsOf("CertificateRequest", "manual-1")).filter(
        (c) => c.type === "Approved" || c.type === "Denied",
      ),
      [],
    );
    assert.equal((await condition("Certificate", "manual", "Ready"))?.status, "False");
    const approved = await certctl(server, "approve", "manual-1", "-n", "shop");
    assert.equal(approved.code, 0, approved.stderr);
    assert.equal(approved.stdout, "Approved CertificateRequest 'shop/manual-1'\n");
    const waited = await waitReady(server, "manual", "shop");
    assert.equal(waited.code, 0, waited.stderr);
    const manualApproval = await condition("CertificateRequest", "manual-1", "Approved");
    assert.deepEqual(
      [manualApproval?.reason, manualApproval?.message],
      ["KubectlCertManager", 'manually approved by "certctl"'],
    );

    const again = await certctl(server, "approve", "manual-1", "-n", "shop");
    assert.equal(again.code, 1);
    assert.match(again.stderr, /CertificateRequest is already approved/);
  });

  test("certctl deny fails the request and the Certificate's issuance with the given reason", async () => {
    const denied = await certctl(
      server,
      "deny",
      "refused-1",
      "-n",
      "shop",
      "--reason",
      "pki-team",
      "--message",
      "not ours",
    );
    assert.equal(denied.code, 0, denied.stderr);
    assert.equal(denied.stdout, "Denied CertificateRequest 'shop/refused-1'\n");
    const waited = await waitRequest("refused-1", "Denied");
    assert.equal(waited.code, 0, waited.stderr);
    const issuing = await failedIssuance("refused");
    assert.equal(issuing.reason, "pki-team");
    assert.equal((await condition("Certificate", "refused", "Ready"))?.status, "False");
  });

  test("history shows who approved and denied: the person for certctl, intake for the policy", async () => {
    const manual = await certctl(server, "history", "certificaterequest", "manual-1", "-n", "shop");
    assert.equal(manual.code, 0, manual.stderr);
    const approvedLine = manual.stdout
      .split("\n")
      .find((line) => line.includes("CertificateRequestApproved"));
    assert.match(approvedLine ?? "", /\blocal:\S+/);
    const evil = await certctl(server, "history", "certificaterequest", "evil-1", "-n", "shop");
    const deniedLine = evil.stdout.split("\n").find((line) => line.includes("CertificateRequestDenied"));
    assert.match(deniedLine ?? "", /\bservice:intake\b/);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DescribeResponse, ObjectRef, ResourceObject } from "@certplane/api";
import { FakeCertplaneApi } from "@certplane/api/testing";
import { NotFoundError } from "@certplane/domain";
import { runAgainst } from "./testing/cli-harness.ts";
import { certificate, challenge, leaf, order, pending, ready } from "./testing/resources.ts";

const myapp: ResourceObject = {
  ...certificate({ name: "myapp-tls", ready: pending }),
  status: {
    conditions: [{ type: "Ready", ...pending }],
    notBefore: "2026-01-10T09:00:00Z",
    notAfter: "2026-04-10T09:00:00Z",
    renewalTime: "2026-03-26T09:00:00Z",
  },
};
const request: ResourceObject = {
  apiVersion: "cert-manager.io/v1",
  kind: "CertificateRequest",
  metadata: { name: "myapp-tls-2", namespace: "demo-apps" },
  status: {
    conditions: [
      {
        type: "Approved",
        status: "True",
        reason: "cert-manager.io",
        message: "Certificate request has been approved",
      },
      {
        type: "Ready",
        status: "False",
        reason: "Pending",
        message: "Waiting on order demo-apps/myapp-tls-2-abc",
      },
    ],
  },
};
const issuer: ResourceObject = {
  apiVersion: "cert-manager.io/v1",
  kind: "ClusterIssuer",
  metadata: { name: "demo-ca-issuer" },
  status: {
    conditions: [{ type: "Ready", ...ready, reason: "KeyPairVerified", message: "Signing CA verified" }],
  },
};
const event = (object: string, name: string, message: string) => ({
  time: "2026-01-10T11:00:00Z",
  object,
  event: name,
  reason: name,
  message,
});

function fakeWith(scripts: { describe?: (ref: ObjectRef) => Promise<DescribeResponse> } = {}) {
  return new FakeCertplaneApi({
    describe:
      scripts.describe ??
      (async (ref: ObjectRef) =>
        ref.kind === "Certificate"
          ? {
              object: myapp,
              related: [
                { ...request, metadata: { name: "myapp-tls-1", namespace: "demo-apps" } },
                request,
                order({ name: "myapp-tls-2-abc", state: "pending", url: "https://acme.example/order/1" }),
                challenge({
                  name: "myapp-tls-2-abc-1",
                  dnsName: "myapp.example.com",
                  type: "HTTP-01",
                  state: "pending",
                }),
              ],
              events: [
                event(
                  "Certificate demo-apps/myapp-tls",
                  "IssuanceTriggered",
                  "Issuing certificate as Secret does not exist",
                ),
                event(
                  "CertificateRequest demo-apps/myapp-tls-2",
                  "OrderCreated",
                  "Created Order myapp-tls-2-abc",
                ),
              ],
            }
          : { object: issuer, related: [], events: [] }),
    inspectSecret: async () => ({
      name: "myapp-tls-secret",
      namespace: "demo-apps",
      annotations: {},
      chain: [leaf],
      hasPrivateKey: true,
    }),
  });
}

describe("certctl status certificate", () => {
  it("walks the Certificate, its issuer, its Secret, the current request, its Order and Challenges", async () => {
    const fake = fakeWith();
    const run = await runAgainst(fake, ["status", "certificate", "myapp-tls", "-n", "demo-apps"]);
    assert.equal(run.code, 0, run.stderr);
    const out = run.stdout;
    assert.match(out, /^Name: myapp-tls\nNamespace: demo-apps\nCreated at: 2026-01-10T09:00:00Z\n/);
    assert.match(
      out,
      /^Conditions:\n {2}Ready: False, Reason: DoesNotExist, Message: Issuing certificate as Secret does not exist$/m,
    );
    assert.match(out, /^DNS Names:\n- myapp-tls\.example\.com$/m);
    assert.match(out, /^Events:\n {2}TIME +OBJECT +EVENT/m);
    assert.match(out, /^ {2}\S+ +Certificate demo-apps\/myapp-tls +IssuanceTriggered/m);
    assert.match(
      out,
      /^Issuer:\n {2}Name: demo-ca-issuer\n {2}Kind: ClusterIssuer\n {2}Conditions:\n {4}Ready: True, Reason: KeyPairVerified, Message: Signing CA verified\n {2}Events: {2}<none>$/m,
    );
    assert.match(
      out,
      /^Secret:\n {2}Name: myapp-tls-secret\n {2}Issuer: CN=demo CA\n {2}Subject: CN=myapp\.example\.com$/m,
    );
    assert.match(out, /^ {2}Key Usage: digital signature, key encipherment$/m);
    assert.match(out, /^ {2}Extended Key Usages: server auth$/m);
    assert.match(out, /^ {2}Public Key Algorithm: RSA 2048$/m);
    assert.match(out, /^ {2}Serial Number: 4f:2a:01$/m);
    assert.match(
      out,
      /^Not Before: 2026-01-10T09:00:00Z\nNot After: 2026-04-10T09:00:00Z\nRenewal Time: 2026-03-26T09:00:00Z$/m,
    );
    // The newest request is the current one, with only its own events.
    assert.match(
      out,
      /^CertificateRequest:\n {2}Name: myapp-tls-2\n {2}Namespace: demo-apps\n {2}Conditions:\n/m,
    );
    assert.match(
      out,
      /^ {4}Ready: False, Reason: Pending, Message: Waiting on order demo-apps\/myapp-tls-2-abc$/m,
    );
    assert.match(out, /^ {4}\S+ +CertificateRequest demo-apps\/myapp-tls-2 +OrderCreated/m);
    assert.match(
      out,
      /^Order:\n {2}Name: myapp-tls-2-abc\n {2}State: pending, Reason: \n {2}Authorizations:\n/m,
    );
    assert.match(
      out,
      /^ {4}URL: https:\/\/acme\.example\/authz\/1, Identifier: myapp\.example\.com, Initial State: pending, Wildcard: false$/m,
    );
    assert.match(
      out,
      /^Challenges:\n- Name: myapp-tls-2-abc-1, Type: HTTP-01, DNS Name: myapp\.example\.com, State: pending, Reason: , Processing: true, Presented: false$/m,
    );
    assert.doesNotMatch(out, /tok/, "the challenge token stays out of the output");
    assert.deepEqual(fake.callsTo("describe"), [
      { kind: "Certificate", name: "myapp-tls", namespace: "demo-apps" },
      { kind: "ClusterIssuer", name: "demo-ca-issuer" },
    ]);
    assert.deepEqual(fake.callsTo("inspectSecret"), [{ name: "myapp-tls-secret", namespace: "demo-apps" }]);
  });

  it("shows a missing issuer and Secret as part of the status, and says when there is no request", async () => {
    const fake = new FakeCertplaneApi({
      describe: async (ref: ObjectRef) => {
        if (ref.kind !== "Certificate") throw new NotFoundError('clusterissuers "demo-ca-issuer" not found');
        return { object: certificate({ name: "myapp-tls" }), related: [], events: [] };
      },
      inspectSecret: async () => {
        throw new NotFoundError('secrets "myapp-tls-secret" not found in demo-apps namespace');
      },
    });
    const run = await runAgainst(fake, ["status", "cert", "myapp-tls", "-n", "demo-apps"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Conditions:\n {2}No Conditions set$/m);
    assert.match(run.stdout, /^Events: {2}<none>$/m);
    assert.match(
      run.stdout,
      /^error when finding ClusterIssuer "demo-ca-issuer": clusterissuers "demo-ca-issuer" not found$/m,
    );
    assert.match(
      run.stdout,
      /^error when finding Secret "myapp-tls-secret": secrets "myapp-tls-secret" not found/m,
    );
    assert.match(run.stdout, /^Not Before: <none>$/m);
    assert.match(run.stdout, /^No CertificateRequest found for this Certificate$/m);
    assert.doesNotMatch(run.stdout, /^Order:|^Challenges:/m);
  });

  it("fails like kubectl when the Certificate does not exist, and takes only certificates", async () => {
    const fake = fakeWith({
      describe: async () => {
        throw new NotFoundError('certificates "nope" not found in demo-apps namespace');
      },
    });
    const missing = await runAgainst(fake, ["status", "certificate", "nope", "-n", "demo-apps"]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'error: certificates "nope" not found in demo-apps namespace\n');

    const wrongKind = await runAgainst(fake, ["status", "issuer", "x"]);
    assert.equal(wrongKind.code, 1);
    assert.equal(wrongKind.stderr, 'error: unknown resource type "issuer"; accepted: certificates\n');
  });
});

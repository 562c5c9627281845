// The certctl verbs people reach for, against the embedded control plane: `apply --wait` on the
// seed chain, then `status certificate`, `get -o name`, `-o jsonpath` and `check api` on what it issued.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { certctl } from "./support/certctl.ts";
import type { TestEmbeddedPlane } from "./support/embedded-plane.ts";
import { startTestEmbeddedPlane } from "./support/embedded-plane.ts";
import { seedManifest } from "./support/seed-chain.ts";

describe("certctl verbs on the embedded control plane", () => {
  let embedded: TestEmbeddedPlane;
  let server: string;

  before(async () => {
    embedded = await startTestEmbeddedPlane("certplane-cli-verbs-");
    ({ server } = embedded);
  });

  after(async () => {
    await embedded?.dispose();
  });

  test("apply --wait returns once every seed Certificate is Ready", async () => {
    const applied = await certctl(server, "apply", "-f", seedManifest, "--wait", "--timeout=90s");
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /^certificate\.cert-manager\.io\/myapp-tls created$/m);
    assert.ok(applied.stderr.trimEnd().endsWith("3/3 certificates ready"), applied.stderr);
  });

  test("status certificate shows the Secret's certificate, the issuer and the current request", async () => {
    const run = await certctl(server, "status", "certificate", "myapp-tls", "-n", "demo-apps");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Name: myapp-tls\nNamespace: demo-apps\n/);
    assert.match(run.stdout, /^ {2}Ready: True, Reason: Ready, Message: /m);
    assert.match(run.stdout, /^DNS Names:\n- myapp\.example\.com\n- www\.myapp\.example\.com$/m);
    assert.match(
      run.stdout,
      /^Issuer:\n {2}Name: demo-ca-issuer\n {2}Kind: ClusterIssuer\n {2}Conditions:\n {4}Ready: True/m,
    );
    assert.match(run.stdout, /^Secret:\n {2}Name: myapp-tls-secret\n {2}Issuer: .*CN=demo-ca/m);
    assert.match(run.stdout, /^ {2}Public Key Algorithm: RSA 2048$/m);
    assert.match(run.stdout, /^ {2}Private Key: present$/m);
    assert.match(run.stdout, /^Not After: \d{4}-\d\d-\d\dT/m);
    assert.match(run.stdout, /^Renewal Time: \d{4}-\d\d-\d\dT/m);
    assert.match(run.stdout, /^CertificateRequest:\n {2}Name: myapp-tls-\S+\n {2}Namespace: demo-apps\n/m);
    assert.doesNotMatch(run.stdout, /^Order:/m, "a CA issuer makes no ACME Order");
  });

  test("get -o name and -o jsonpath print what scripts read", async () => {
    const names = await certctl(server, "get", "certificates", "-A", "-o", "name");
    assert.equal(names.code, 0, names.stderr);
    assert.deepEqual(names.stdout.trimEnd().split("\n").sort(), [
      "certificate.cert-manager.io/demo-ca",
      "certificate.cert-manager.io/myapp-tls",
      "certificate.cert-manager.io/short-lived-cert",
    ]);

    const ready = await certctl(
      server,
      "get",
      "certificates",
      "-n",
      "demo-apps",
      "-o",
      'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
    );
    assert.equal(ready.code, 0, ready.stderr);
    assert.deepEqual(ready.stdout.trimEnd().split("\n").sort(), ["myapp-tls=True", "short-lived-cert=True"]);
  });

  test("check api says the API is ready", async () => {
    const run = await certctl(server, "check", "api");
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `The certplane API at ${server} is ready\n`);
  });
});

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { FakeCertplaneApi } from "@certplane/api/testing";
import { runAgainst } from "./testing/cli-harness.ts";
import { leaf } from "./testing/resources.ts";

const lines = (text: string) => text.trimEnd().split("\n");
const cells = (line: string | undefined) => (line ?? "").trim().split(/\s{3,}/);

describe("certctl delete, renew and history", () => {
  it("deletes in the given namespace and says so like kubectl", async () => {
    const fake = new FakeCertplaneApi({ delete: async () => ({ deleted: true }) });
    const run = await runAgainst(fake, ["delete", "certificate", "myapp-tls", "-n", "demo-apps"]);
    assert.equal(run.stdout, 'certificate.cert-manager.io "myapp-tls" deleted\n');
    assert.deepEqual(fake.callsTo("delete"), [
      { kind: "Certificate", name: "myapp-tls", namespace: "demo-apps" },
    ]);
  });

  it("renews every certificate in every namespace with --all -A", async () => {
    const fake = new FakeCertplaneApi({ renew: async () => ({ renewed: ["a/one", "b/two"] }) });
    const run = await runAgainst(fake, ["renew", "--all", "-A"]);
    assert.deepEqual(lines(run.stdout), [
      "Manually triggered issuance of Certificate a/one",
      "Manually triggered issuance of Certificate b/two",
    ]);
    assert.deepEqual(fake.callsTo("renew"), [{ all: true, allNamespaces: true }]);
  });

  it("lists revisions with dashes for what an unfinished one lacks", async () => {
    const fake = new FakeCertplaneApi({
      history: async () => ({
        revisions: [
          {
            revision: 1,
            requestName: "myapp-tls-1",
            trigger: "DoesNotExist",
            triggerMessage: "",
            triggeredAt: "2026-01-10T09:00:00Z",
            outcome: "issued",
            serialNumber: "4f:2a:01",
            notBefore: "2026-01-10T09:00:00Z",
            notAfter: "2026-04-10T09:00:00Z",
          },
          {
            revision: 2,
            requestName: "myapp-tls-2",
            trigger: "ManuallyTriggered",
            triggerMessage: "",
            triggeredAt: "2026-01-10T11:00:00Z",
            outcome: "pending",
          },
        ],
        events: [],
      }),
    });
    const run = await runAgainst(fake, [
      "history",
      "certificate",
      "myapp-tls",
      "-n",
      "demo-apps",
      "--revisions",
    ]);
    const [header, first, second] = lines(run.stdout);
    assert.deepEqual(cells(header), [
      "REVISION",
      "REQUEST",
      "TRIGGER",
      "OUTCOME",
      "SERIAL",
      "NOT BEFORE",
      "NOT AFTER",
    ]);
    assert.deepEqual(cells(first), [
      "1",
      "myapp-tls-1",
      "DoesNotExist",
      "issued",
      "4f:2a:01",
      "2026-01-10T09:00:00Z",
      "2026-04-10T09:00:00Z",
    ]);
    assert.deepEqual(cells(second), ["2", "myapp-tls-2", "ManuallyTriggered", "pending", "-", "-", "-"]);
  });
});

describe("certctl create secret tls and inspect secret", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "certctl-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("sends the certificate, key and CA files over gRPC", async () => {
    await writeFile(join(dir, "tls.crt"), "CERT PEM");
    await writeFile(join(dir, "tls.key"), "KEY PEM");
    await writeFile(join(dir, "ca.crt"), "CA PEM");
    const fake = new FakeCertplaneApi({ createTlsSecret: async () => ({ outcome: "created" }) });
    const run = await runAgainst(fake, [
      "create",
      "secret",
      "tls",
      "company-ca",
      "--cert",
      join(dir, "tls.crt"),
      "--key",
      join(dir, "tls.key"),
      "--ca",
      join(dir, "ca.crt"),
      "-n",
      "demo-apps",
    ]);
    assert.equal(run.stdout, "secret/company-ca created\n", run.stderr);
    assert.deepEqual(fake.callsTo("createTlsSecret"), [
      {
        name: "company-ca",
        namespace: "demo-apps",
        certificatePem: "CERT PEM",
        privateKeyPem: "KEY PEM",
        caPem: "CA PEM",
      },
    ]);
  });

  it("names the flag whose file cannot be read", async () => {
    const fake = new FakeCertplaneApi({});
    const run = await runAgainst(fake, [
      "create",
      "secret",
      "tls",
      "x",
      "--cert",
      join(dir, "nope"),
      "--key",
      "k",
    ]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: cannot read --cert .*nope: ENOENT\n$/);
    assert.equal(fake.calls.length, 0);
  });

  it("shows each certificate, the CA and whether the chain verifies", async () => {
    const fake = new FakeCertplaneApi({
      inspectSecret: async () => ({
        name: "myapp-tls-secret",
        namespace: "demo-apps",
        annotations: {},
        chain: [leaf, { ...leaf, subject: "CN=intermediate", isCA: true, dnsNames: [] }],
        ca: { ...leaf, subject: "CN=demo CA", isCA: true, dnsNames: [], notAfter: "2026-01-01T00:00:00Z" },
        chainVerifiesAgainstCa: { ok: false, reason: "intermediate is not signed by ca.crt" },
        hasPrivateKey: true,
      }),
    });
    const run = await runAgainst(fake, ["inspect", "secret", "myapp-tls-secret", "-n", "demo-apps"]);
    assert.equal(run.code, 0, run.stderr);
    const out = run.stdout;
    assert.match(out, /tls\.crt holds 2 certificates, tls\.key present/);
    assert.match(out, /^Certificate 1 of 2 \(leaf\):\n {2}Subject: +CN=myapp\.example\.com$/m);
    assert.match(out, /^ {2}DNS Names: +myapp\.example\.com, www\.myapp\.example\.com$/m);
    assert.match(out, /^ {2}Not After: +2026-04-10T09:00:00Z \(expires in 89d\)$/m);
    assert.match(out, /^ {2}Key: +RSA 2048$/m);
    assert.match(out, /^ {2}Serial Number: +4f:2a:01$/m);
    assert.match(out, /^ {2}SHA-1 Fingerprint: +11:22$/m);
    assert.match(out, /^ {2}SHA-256 Fingerprint: +33:44$/m);
    assert.match(out, /^Certificate 2 of 2:\n {2}Subject: +CN=intermediate$/m);
    assert.match(out, /^CA certificate \(ca\.crt\):\n {2}Subject: +CN=demo CA$/m);
    assert.match(out, /^ {2}Not After: +2026-01-01T00:00:00Z \(EXPIRED 9d ago\)$/m);
    assert.match(out, /^Chain verifies against ca\.crt: no \(intermediate is not signed by ca\.crt\)$/m);
  });
});

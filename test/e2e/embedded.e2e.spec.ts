// The same seed chain in the embedded mode: one process, in-process bus, SQLite in a temp dir.
import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { categoryOwners } from "@certplane/domain";
import { parseStreamName, type StreamCategory } from "@certplane/domain/model";
import { SqliteEventStore } from "@certplane/event-store";
import { readAll } from "@certplane/event-store/contract";
import { parseCertificate } from "@certplane/pki";
import { certctl } from "./support/certctl.ts";
import type { TestEmbeddedPlane } from "./support/embedded-plane.ts";
import { startTestEmbeddedPlane } from "./support/embedded-plane.ts";
import { openssl } from "./support/openssl.ts";
import { applySeedAndWait, assertSeedChainFiles } from "./support/seed-chain.ts";
import { eventually } from "./support/service-process.ts";

const W3C_TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

describe("embedded control plane", () => {
  let embedded: TestEmbeddedPlane;
  let workDir: string;
  let server: string;

  before(async () => {
    embedded = await startTestEmbeddedPlane("certplane-embedded-");
    ({ workDir, server } = embedded);
  });

  after(async () => {
    await embedded?.dispose();
  });

  test("the seed's manifests give Ready certificates and verifiable files", async () => {
    await applySeedAndWait(server);
    await assertSeedChainFiles(join(workDir, "secrets"));
  });

  test("describe shows each CertificateRequest's history", async () => {
    const described = await certctl(server, "describe", "certificate", "myapp-tls", "-n", "demo-apps");
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, /myapp-tls-1/);
    assert.match(described.stdout, /CertificateRequestApproved/);
    assert.match(described.stdout, /CertificateRequestIssued/);
  });

  test("an invalid manifest is rejected with its field path and changes nothing", async () => {
    const bad = join(workDir, "bad.yaml");
    await writeFile(
      bad,
      [
        "apiVersion: cert-manager.io/v1",
        "kind: Certificate",
        "metadata: {name: bad-cert, namespace: demo-apps}",
        "spec:",
        "  secretName: bad-cert",
        "  dnsNames: [bad.example.com]",
        "  issuerRef: {name: demo-ca-issuer, kind: ClusterIssuer}",
        "  duration: 720h",
        "  renewBefore: 8760h",
      ].join("\n"),
    );
    const applied = await certctl(server, "apply", "-f", bad);
    assert.notEqual(applied.code, 0);
    assert.match(
      applied.stderr,
      /spec\.renewBefore: certificate duration 720h0m0s must be greater than renewBefore 8760h0m0s/,
    );
    const got = await certctl(server, "get", "certificate", "bad-cert", "-n", "demo-apps");
    assert.notEqual(got.code, 0);
  });

  test("a client's own CSR is signed through a CertificateRequest while the key stays with the client", async () => {
    const key = join(workDir, "client.key");
    const csr = join(workDir, "client.csr");
    await openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key]);
    await openssl([
      "req",
      "-new",
      "-key",
      key,
      "-subj",
      "/CN=client.example.com",
      "-addext",
      "subjectAltName=DNS:client.example.com",
      "-out",
      csr,
    ]);
    const request = Buffer.from(await readFile(csr, "utf8")).toString("base64");
    const manifest = join(workDir, "client-cr.yaml");
    await writeFile(
      manifest,
      [
        "apiVersion: cert-manager.io/v1",
        "kind: CertificateRequest",
        "metadata: {name: client-cr, namespace: demo-apps}",
        "spec:",
        `  request: ${request}`,
        "  issuerRef: {name: demo-ca-issuer, kind: ClusterIssuer, group: cert-manager.io}",
        "  duration: 24h",
        "  usages: [digital signature, key encipherment, client auth]",
      ].join("\n"),
    );
    const applied = await certctl(server, "apply", "-f", manifest);
    assert.equal(applied.code, 0, applied.stderr);
    const issued = await eventually("the CertificateRequest to be issued", async () => {
      const got = await certctl(
        server,
        "get",
        "certificaterequest",
        "client-cr",
        "-n",
        "demo-apps",
        "-o",
        "json",
      );
      const object = JSON.parse(got.stdout || "{}");
      return object.status?.certificate ? (object.status.certificate as string) : undefined;
    });
    const leaf = join(workDir, "client.crt");
    await writeFile(leaf, Buffer.from(issued, "base64").toString("utf8"));
    const ca = join(workDir, "secrets", "cert-manager", "demo-ca-secret", "tls.crt");
    assert.match(await openssl(["verify", "-CAfile", ca, leaf]), /client\.crt: OK/);
    const certPub = await openssl(["x509", "-in", leaf, "-noout", "-pubkey"]);
    const keyPub = await openssl(["pkey", "-in", key, "-pubout"]);
    assert.equal(certPub.trim(), keyPub.trim());
    assert.match(
      await openssl(["x509", "-in", leaf, "-noout", "-ext", "extendedKeyUsage"]),
      /Client Authentication/,
    );
  });

  test("deleting a certificate's secret makes certplane issue it again at the same path", async () => {
    const dir = join(workDir, "secrets", "demo-apps", "myapp-tls-secret");
    const before = parseCertificate(await readFile(join(dir, "tls.crt"), "utf8"));
    const deleted = await certctl(server, "delete", "secret", "myapp-tls-secret", "-n", "demo-apps");
    assert.equal(deleted.code, 0, deleted.stderr);
    const reissued = await eventually("the secret to be issued again", async () => {
      const pem = await readFile(join(dir, "tls.crt"), "utf8").catch(() => undefined);
      const current = pem ? parseCertificate(pem) : undefined;
      return current && current.serialNumber !== before.serialNumber ? current : undefined;
    });
    assert.deepEqual(reissued.sans.dnsNames, before.sans.dnsNames);
    const history = await certctl(
      server,
      "history",
      "certificate",
      "myapp-tls",
      "-n",
      "demo-apps",
      "--revisions",
    );
    assert.match(history.stdout, /myapp-tls-2\s.*DoesNotExist/);
  });

  test("every stored event names its producer and actor, and each category has its one owner as producer", async () => {
    const store = new SqliteEventStore({ path: join(workDir, "data", "events.sqlite") });
    const events = await readAll(store);
    await store.close();
    assert.ok(events.length > 20, `${events.length} events`);
    const producers = new Map<string, Set<string>>();
    for (const event of events) {
      const { producer, actor, traceparent, correlationId, causationId } = event.metadata;
      assert.ok(producer && actor && correlationId && causationId, `${event.type} on ${event.stream}`);
      assert.match(traceparent ?? "", W3C_TRACEPARENT, `${event.type} carries a trace`);
      const { category } = parseStreamName(event.stream);
      producers.set(category, (producers.get(category) ?? new Set()).add(producer));
    }
    for (const [category, names] of producers) {
      assert.deepEqual([...names], [categoryOwners[category as StreamCategory]], `producers of ${category}`);
    }
    // certctl over the plaintext loopback default: unauthenticated local access, by user name.
    const applied = events.find((e) => e.type === "CertificateApplied")!;
    assert.equal(applied.metadata.actor, `local:${userInfo().username}`);
    const triggered = events.find((e) => e.type === "IssuanceTriggered")!;
    assert.equal(triggered.metadata.actor, "service:renewal-scheduler");
    assert.equal(
      triggered.metadata.correlationId,
      applied.metadata.correlationId,
      "one apply, one correlation",
    );
    const traceId = (traceparent: string | undefined) => traceparent?.split("-")[1];
    assert.equal(traceId(triggered.metadata.traceparent), traceId(applied.metadata.traceparent), "one trace");
  });

  test("the SQLite event store holds no PEM private key", async () => {
    // The WAL file holds the newest pages until a checkpoint, so look at every file of the database.
    const dataDir = join(workDir, "data");
    const files = (await readdir(dataDir)).filter((name) => name.startsWith("events.sqlite"));
    assert.ok(files.length > 0);
    for (const name of files) {
      const bytes = await readFile(join(dataDir, name));
      assert.equal(bytes.includes("PRIVATE KEY"), false, `${name} contains a PEM private key`);
    }
  });
});

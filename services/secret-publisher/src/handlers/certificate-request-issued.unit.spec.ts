import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CertificateSpec } from "@certplane/domain";
import { keyIdentifier, parseCertificate, parseCsr, publicKeysMatch } from "@certplane/pki";
import { openSealedData } from "../keys/sealed-key.ts";
import { PublisherHarness } from "../testing/publisher-harness.ts";

const webSpec: CertificateSpec = {
  secretName: "web-tls",
  issuerRef: { name: "selfsigned" },
  commonName: "a.example.com",
  dnsNames: ["a.example.com", "b.example.com"],
  secretTemplate: { labels: { team: "web" }, annotations: { "example.com/owner": "web" } },
};

async function issued(spec: CertificateSpec = webSpec): Promise<{ harness: PublisherHarness; pem: string }> {
  const harness = new PublisherHarness();
  await harness.applyCertificate("web", spec);
  await harness.pump();
  const pem = await harness.signRequest("web-1");
  await harness.pump();
  return { harness, pem };
}

describe("CertificateRequestIssued (issuing)", () => {
  test("writes the final secret, records the issuance and removes the next key", async () => {
    const { harness, pem } = await issued();
    const leaf = parseCertificate(pem);

    const secret = await harness.secret("web-tls");
    assert.equal(secret.status, "present");
    assert.deepEqual(secret.owner, { kind: "Certificate", name: "web", uid: "uid-web" });
    assert.equal(secret.content.type, "kubernetes.io/tls");
    assert.deepEqual(secret.content.data, { "tls.crt": pem, "ca.crt": pem });
    assert.deepEqual(secret.content.labels, { team: "web", "controller.cert-manager.io/fao": "true" });
    assert.deepEqual(secret.content.annotations, {
      "example.com/owner": "web",
      "cert-manager.io/certificate-name": "web",
      "cert-manager.io/issuer-name": "selfsigned",
      "cert-manager.io/issuer-kind": "Issuer",
      "cert-manager.io/issuer-group": "cert-manager.io",
      "cert-manager.io/common-name": "a.example.com",
      "cert-manager.io/alt-names": "a.example.com,b.example.com",
      "cert-manager.io/ip-sans": "",
      "cert-manager.io/uri-sans": "",
      // The key's identifier equals the certificate's: the pair can be checked without opening the key.
      "certplane.io/private-key-id": Buffer.from(keyIdentifier(leaf.publicKey)).toString("hex"),
    });
    const opened = openSealedData(harness.kek, { namespace: "apps", name: "web-tls" }, secret.content);
    assert.match(opened["tls.key"] ?? "", /^-----BEGIN RSA PRIVATE KEY-----/, "PKCS#1 by default");
    assert.ok(publicKeysMatch(await harness.secretKey("web-tls"), leaf.publicKey));

    const certificate = await harness.certificate("web");
    assert.equal(certificate.status, "active");
    assert.equal(certificate.phase.kind, "idle");
    assert.deepEqual(certificate.issued && { ...certificate.issued, issuedAt: undefined }, {
      revision: 1,
      requestName: "web-1",
      serialNumber: leaf.serialNumber,
      notBefore: leaf.notBefore.toISOString(),
      notAfter: leaf.notAfter.toISOString(),
      issuedAt: undefined,
      generation: 1,
    });
    assert.equal((await harness.secret("web-next-key")).status, "absent");
  });

  test("writes PKCS#8 when the spec asks for it", async () => {
    const { harness, pem } = await issued({
      ...webSpec,
      privateKey: { encoding: "PKCS8" },
      renewBefore: "720h",
    });
    const secret = await harness.secret("web-tls");
    assert.equal(secret.status, "present");
    const opened = openSealedData(harness.kek, { namespace: "apps", name: "web-tls" }, secret.content);
    assert.match(opened["tls.key"] ?? "", /^-----BEGIN PRIVATE KEY-----/);
    const certificate = await harness.certificate("web");
    const leaf = parseCertificate(pem);
    // The renewal time is the scheduler's to record (renewal-scheduler.unit.spec.ts); the
    // publisher reports what it published.
    assert.equal(
      certificate.status === "active" && certificate.issued?.notAfter,
      leaf.notAfter.toISOString(),
    );
  });

  test("redelivering every event changes nothing", async () => {
    const { harness } = await issued();
    const before = harness.allEvents().length;
    await harness.redeliverAll();
    await harness.pump();
    assert.equal(harness.allEvents().length, before);
  });

  test("rotationPolicy Never reuses the key on the next issuance", async () => {
    const { harness } = await issued({ ...webSpec, privateKey: { rotationPolicy: "Never" } });
    const firstKey = await harness.secretKey("web-tls");
    await harness.triggerIssuance("web");
    await harness.pump();
    const request = await harness.request("web-2");
    assert.equal(request.status, "present");
    assert.ok(publicKeysMatch(parseCsr(request.spec.request).publicKey, firstKey));
  });

  test("rotationPolicy Always makes a new key on the next issuance", async () => {
    const { harness } = await issued();
    const firstKey = await harness.secretKey("web-tls");
    await harness.triggerIssuance("web");
    await harness.pump();
    const request = await harness.request("web-2");
    assert.equal(request.status, "present");
    assert.ok(!publicKeysMatch(parseCsr(request.spec.request).publicKey, firstKey));

    await harness.signRequest("web-2");
    await harness.pump();
    const certificate = await harness.certificate("web");
    assert.equal(certificate.status === "active" && certificate.issued?.revision, 2);
    assert.ok(!publicKeysMatch(await harness.secretKey("web-tls"), firstKey));
  });

  test("a certificate for another key fails the issuance with InvalidCertificate and writes no secret", async () => {
    const harness = new PublisherHarness();
    await harness.applyCertificate("web", webSpec);
    await harness.pump();
    await harness.signRequest("web-1", { wrongKey: await harness.otherKey() });
    await harness.pump();

    const certificate = await harness.certificate("web");
    assert.equal(certificate.status, "active");
    assert.equal(certificate.phase.kind, "failed");
    assert.equal(certificate.phase.failure.reason, "InvalidCertificate");
    assert.equal((await harness.secret("web-tls")).status, "absent");
  });

  test("a denied request fails the issuance with the denial's reason and message", async () => {
    const harness = new PublisherHarness();
    await harness.applyCertificate("web", webSpec);
    await harness.pump();
    await harness.denyRequest("web-1", "example.com names need approval");
    await harness.pump();

    const certificate = await harness.certificate("web");
    assert.equal(certificate.status, "active");
    assert.equal(certificate.phase.kind, "failed");
    assert.equal(certificate.phase.failure.reason, "PolicyDenied");
    assert.equal(certificate.phase.failure.message, "example.com names need approval");
    assert.equal(certificate.phase.failure.attempts, 1);
    await harness.redeliverAll();
    const again = await harness.certificate("web");
    assert.equal(again.status, "active");
    assert.equal(again.phase.kind, "failed");
    assert.equal(again.phase.failure.attempts, 1);
  });

  test("a secret imported while the request was being signed is not overwritten", async () => {
    const harness = new PublisherHarness();
    await harness.applyCertificate("web", webSpec);
    await harness.pump();
    await harness.importSecret("web-tls", { type: "Opaque", data: { note: "mine" }, sealedData: {} });
    await harness.signRequest("web-1");
    await harness.pump();

    const certificate = await harness.certificate("web");
    assert.equal(certificate.status, "active");
    assert.equal(certificate.phase.kind, "failed");
    assert.equal(certificate.phase.failure.reason, "SecretConflict");
    const secret = await harness.secret("web-tls");
    assert.deepEqual(secret.status === "present" && secret.content.data, { note: "mine" });
  });
});

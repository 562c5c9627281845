import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { requestAnnotations, sealedPrefix } from "@certplane/domain/model";
import { parseCsr, publicKeysMatch } from "@certplane/pki";
import { REQUEST_NAME_ANNOTATION } from "../secrets/secret-owners.ts";
import { PublisherHarness } from "../testing/publisher-harness.ts";

const issuerRef = { name: "selfsigned" };

function storedText(harness: PublisherHarness): string {
  return JSON.stringify(harness.allEvents(), (_key, value) =>
    typeof value === "bigint" ? String(value) : value,
  );
}

describe("IssuanceTriggered (key manager + request manager)", () => {
  test("seals a next key and requests an RSA 2048 certificate for both DNS names", async () => {
    const harness = new PublisherHarness();
    await harness.applyCertificate("web", {
      secretName: "web-tls",
      issuerRef,
      commonName: "a.example.com",
      dnsNames: ["a.example.com", "b.example.com"],
    });
    await harness.pump();

    const nextKey = await harness.secret("web-next-key");
    assert.equal(nextKey.status, "present");
    assert.deepEqual(nextKey.owner, {
      kind: "NextPrivateKey",
      certificateName: "web",
      certificateUid: "uid-web",
    });
    assert.ok(nextKey.content.sealedData["tls.key"]?.startsWith(sealedPrefix));
    assert.deepEqual(nextKey.content.data, {});
    assert.equal(nextKey.content.annotations?.[REQUEST_NAME_ANNOTATION], "web-1");

    const request = await harness.request("web-1");
    assert.equal(request.status, "present");
    assert.deepEqual(request.meta.annotations, {
      [requestAnnotations.certificateName]: "web",
      [requestAnnotations.certificateRevision]: "1",
      [requestAnnotations.privateKeySecretName]: "web-next-key",
    });
    assert.deepEqual(
      { ...request.spec, request: undefined },
      {
        request: undefined,
        issuerRef,
        duration: "2160h0m0s",
        isCA: false,
        usages: ["digital signature", "key encipherment"],
      },
    );
    const csr = parseCsr(request.spec.request);
    assert.deepEqual(csr.key, { algorithm: "RSA", size: 2048 });
    assert.deepEqual(csr.sans.dnsNames, ["a.example.com", "b.example.com"]);
    assert.equal(csr.subject.fields.commonName, "a.example.com");
    assert.ok(publicKeysMatch(csr.publicKey, await harness.secretKey("web-next-key")));

    assert.doesNotMatch(storedText(harness), /PRIVATE KEY/);
  });

  test("an ECDSA spec gets a P-256 key", async () => {
    const harness = new PublisherHarness();
    await harness.applyCertificate("api", {
      secretName: "api-tls",
      issuerRef,
      dnsNames: ["api.example.com"],
      privateKey: { algorithm: "ECDSA" },
    });
    await harness.pump();

    const request = await harness.request("api-1");
    assert.equal(request.status, "present");
    assert.deepEqual(parseCsr(request.spec.request).key, { algorithm: "ECDSA", size: 256, curve: "P-256" });
    assert.doesNotMatch(storedText(harness), /PRIVATE KEY/);
  });

  test("a redelivered trigger makes no second key or request", async () => {
    const harness = new PublisherHarness();
    await harness.applyCertificate("web", { secretName: "web-tls", issuerRef, dnsNames: ["a.example.com"] });
    await harness.pump();
    const before = harness.allEvents().length;

    await harness.redeliverAll();
    await harness.pump();
    assert.equal(harness.allEvents().length, before);
  });

  test("a secret another owner created is left alone and the issuance fails with SecretConflict", async () => {
    const harness = new PublisherHarness();
    await harness.importSecret("web-tls", {
      type: "kubernetes.io/tls",
      data: { "tls.crt": "imported" },
      sealedData: {},
    });
    await harness.applyCertificate("web", { secretName: "web-tls", issuerRef, dnsNames: ["a.example.com"] });
    await harness.pump();

    const certificate = await harness.certificate("web");
    assert.equal(certificate.status, "active");
    assert.equal(certificate.phase.kind, "failed");
    assert.equal(certificate.phase.failure.reason, "SecretConflict");
    assert.match(certificate.phase.failure.message, /secret apps\/web-tls exists .* will not overwrite it/);
    const secret = await harness.secret("web-tls");
    assert.equal(secret.status === "present" && secret.version, 1);
    assert.deepEqual(secret.status === "present" && secret.owner, { kind: "User", actor: "user" });
    assert.equal((await harness.request("web-1")).status, "absent");
    assert.equal((await harness.secret("web-next-key")).status, "absent");
  });
});

import assert from "node:assert/strict";
import { createHash, type KeyObject } from "node:crypto";
import { before, describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { signCertificate } from "./certificate-builder.ts";
import { parseCertificate, parseCertificateChain } from "./certificate-view.ts";
import { verifyChain } from "./chain-verification.ts";
import { createCsr } from "./csr.ts";
import { expectedPem, knownAnswers } from "./fixtures/known-answers.ts";
import { generatePrivateKey } from "./keys.ts";
import { pemBlocks, splitPemChain } from "./pem.ts";

const day = 24 * 3600 * 1000;
const start = new Date("2025-01-01T00:00:00Z");
const at = (days: number) => new Date(start.getTime() + days * day);

describe("certificate view", () => {
  it("exposes the known-answer RSA certificate's fields", () => {
    const pem = expectedPem(knownAnswers.rsaSelfSignedLeaf);
    const view = parseCertificate(pem);
    assert.equal(view.subject.dn, "CN=kat.example,L=Berlin,C=DE");
    assert.deepEqual(view.subject.fields, {
      countries: ["DE"],
      localities: ["Berlin"],
      commonName: "kat.example",
    });
    assert.equal(view.issuer.dn, view.subject.dn);
    assert.deepEqual(view.sans, {
      dnsNames: ["kat.example", "www.kat.example"],
      ipAddresses: ["192.0.2.1"],
      uris: [],
      emailAddresses: [],
    });
    assert.deepEqual(view.notBefore, new Date("2025-06-01T12:00:00Z"));
    assert.deepEqual(view.notAfter, new Date("2025-08-30T12:00:00Z"));
    assert.equal(view.serialNumber, "8000000000000000000000000000002a");
    assert.deepEqual(view.key, { algorithm: "RSA", size: 2048 });
    assert.equal(view.signatureAlgorithm, "SHA256WithRSA");
    assert.equal(view.isCA, false);
    assert.deepEqual(view.usages, ["digital signature", "key encipherment", "server auth"]);
    const der = pemBlocks(pem)[0]!.der;
    assert.equal(view.fingerprints.sha256, createHash("sha256").update(der).digest("hex"));
    assert.equal(view.fingerprints.sha1, createHash("sha1").update(der).digest("hex"));
    assert.equal(view.authorityKeyId, view.subjectKeyId);
    assert.ok(Object.isFrozen(view));
  });

  it("reads the Ed25519 CA as a CA with cert sign", () => {
    const view = parseCertificate(expectedPem(knownAnswers.ed25519SelfSignedCA));
    assert.equal(view.isCA, true);
    assert.ok(view.usages.includes("cert sign"));
    assert.equal(view.signatureAlgorithm, "PureEd25519");
  });

  it("splits a bundle into one PEM per certificate, ignoring other blocks", () => {
    const bundle = [
      expectedPem(knownAnswers.rsaSelfSignedLeaf),
      "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
      expectedPem(knownAnswers.ed25519SelfSignedCA),
    ].join("");
    const parts = splitPemChain(bundle);
    assert.deepEqual(parts, [
      expectedPem(knownAnswers.rsaSelfSignedLeaf),
      expectedPem(knownAnswers.ed25519SelfSignedCA),
    ]);
    assert.equal(parseCertificateChain(bundle).length, 2);
  });

  it("rejects text without a certificate", () => {
    assert.throws(() => parseCertificate("nothing here"), ValidationError);
  });
});

describe("verifyChain", () => {
  let rootKey: KeyObject;
  let rootPem: string;
  let intermediateKey: KeyObject;
  let intermediatePem: string;
  let leafPem: string;

  const issue = async (
    key: KeyObject,
    subject: string,
    isCA: boolean,
    signer: { kind: "ca"; privateKey: KeyObject; certificatePem: string } | undefined,
    days = 30,
  ) =>
    (
      await signCertificate({
        csrPem: await createCsr({ subject: { commonName: subject }, isCA }, key),
        isCA,
        duration: days * day,
        notBefore: start,
        serialNumber: "01",
        signer: signer ?? { kind: "selfSigned", privateKey: key },
      })
    ).pem;

  before(async () => {
    rootKey = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
    intermediateKey = await generatePrivateKey({ algorithm: "Ed25519" });
    const leafKey = await generatePrivateKey({ algorithm: "Ed25519" });
    rootPem = await issue(rootKey, "Root", true, undefined, 365);
    intermediatePem = await issue(intermediateKey, "Intermediate", true, {
      kind: "ca",
      privateKey: rootKey,
      certificatePem: rootPem,
    });
    leafPem = await issue(leafKey, "leaf.example", false, {
      kind: "ca",
      privateKey: intermediateKey,
      certificatePem: intermediatePem,
    });
  });

  it("accepts leaf + intermediate up to a trusted root inside the validity period", () => {
    assert.deepEqual(verifyChain(leafPem + intermediatePem, rootPem, at(1)), { ok: true });
  });

  it("accepts a chain that includes the root itself", () => {
    assert.deepEqual(verifyChain(leafPem + intermediatePem + rootPem, rootPem, at(1)), { ok: true });
  });

  it("reports an expired and a not-yet-valid certificate", () => {
    assert.equal(reason(verifyChain(leafPem + intermediatePem, rootPem, at(31))), "Expired");
    assert.equal(reason(verifyChain(leafPem + intermediatePem, rootPem, at(-1))), "NotYetValid");
  });

  it("reports a missing intermediate as issuer not found", () => {
    assert.equal(reason(verifyChain(leafPem, rootPem, at(1))), "IssuerNotFound");
  });

  it("reports an issuer that is not a CA", async () => {
    const fakeKey = await generatePrivateKey({ algorithm: "Ed25519" });
    const notCa = await issue(fakeKey, "Intermediate", false, {
      kind: "ca",
      privateKey: rootKey,
      certificatePem: rootPem,
    });
    assert.equal(reason(verifyChain(leafPem + notCa, rootPem, at(1))), "IssuerNotCA");
  });

  it("reports a bad signature when a same-named CA with another key stands in", async () => {
    const impostorKey = await generatePrivateKey({ algorithm: "Ed25519" });
    const impostor = await issue(impostorKey, "Intermediate", true, {
      kind: "ca",
      privateKey: rootKey,
      certificatePem: rootPem,
    });
    assert.equal(reason(verifyChain(leafPem + impostor, rootPem, at(1))), "BadSignature");
  });

  it("reports an empty chain", () => {
    assert.equal(reason(verifyChain("", rootPem, at(1))), "NoCertificate");
  });
});

function reason(result: ReturnType<typeof verifyChain>): string | undefined {
  return result.ok ? undefined : result.reason;
}

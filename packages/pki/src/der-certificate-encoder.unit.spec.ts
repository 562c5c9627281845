import assert from "node:assert/strict";
import { createPublicKey, X509Certificate } from "node:crypto";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { signCertificate } from "./certificate-builder.ts";
import { createCsr } from "./csr.ts";
import { derCertificateEncoder } from "./der-certificate-encoder.ts";
import { certificateCases } from "./fixtures/certificate-cases.ts";
import { expectedPem, knownAnswers } from "./fixtures/known-answers.ts";
import { peculiarCertificateEncoder } from "./peculiar-certificate-encoder.ts";
import { signedPart } from "./testing/signed-part.ts";

const rules = (error: unknown) => (error instanceof ValidationError ? error.issues.map((i) => i.rule) : []);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

// RSA PKCS#1 v1.5 and Ed25519 signatures are deterministic, so those certificates match whole.
const deterministic = new Set(["SHA256WithRSA", "SHA384WithRSA", "SHA512WithRSA", "PureEd25519"]);

describe("derCertificateEncoder", async () => {
  const cases = await certificateCases();

  for (const { name, certificate, signingKey } of cases) {
    it(`writes the same bytes as @peculiar/x509 for ${name}`, async () => {
      const ours = await derCertificateEncoder.encode(certificate, signingKey);
      const theirs = await peculiarCertificateEncoder.encode(certificate, signingKey);
      assert.equal(hex(signedPart(ours)), hex(signedPart(theirs)));
      if (deterministic.has(certificate.signatureAlgorithm)) assert.equal(hex(ours), hex(theirs));
      assert.ok(new X509Certificate(ours).verify(createPublicKey(signingKey)), "signature verifies");
    });
  }

  for (const [name, answer] of Object.entries(knownAnswers)) {
    it(`reproduces the ${name} known-answer certificate through signCertificate`, async () => {
      const csrPem = await createCsr(answer.csr, answer.sign.signer.privateKey);
      const signed = await signCertificate({ ...answer.sign, csrPem }, derCertificateEncoder);
      assert.equal(signed.pem, expectedPem(answer));
    });
  }

  it("refuses a SAN it cannot write with a ValidationError naming the field", async () => {
    const { certificate, signingKey } = cases[0]!;
    const withSans = (sans: Partial<typeof certificate.template.sans>) => ({
      ...certificate,
      template: { ...certificate.template, sans: { ...certificate.template.sans, ...sans } },
    });
    await assert.rejects(
      derCertificateEncoder.encode(withSans({ dnsNames: ["bücher.example"] }), signingKey),
      (e) => rules(e).includes("ia5"),
    );
    await assert.rejects(
      derCertificateEncoder.encode(withSans({ ipAddresses: ["300.1.2.3"] }), signingKey),
      (e) => rules(e).includes("ip"),
    );
  });
});

import assert from "node:assert/strict";
import { createPublicKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { createCsr, parseCsr, verifyCsrSignature } from "./csr.ts";
import { readCsr } from "./der-csr.ts";
import { childrenOf, wholeElement } from "./der-reader.ts";
import { TAG } from "./der-writer.ts";
import { csrFixtureKey, csrKnownAnswers, csrTemplates } from "./fixtures/csr-cases.ts";
import { generatePrivateKey, parsePrivateKeyPem } from "./keys.ts";
import { singlePemBlock } from "./pem.ts";
import type { SignatureAlgorithm } from "./signature-algorithm.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8");

// RFC 4055 §5 (RSA PKCS#1 v1.5), RFC 5758 §3.2 (ECDSA), RFC 8410 §3 (Ed25519).
const SIGNATURE_OIDS: Readonly<Record<SignatureAlgorithm, string>> = {
  SHA256WithRSA: "1.2.840.113549.1.1.11",
  SHA384WithRSA: "1.2.840.113549.1.1.12",
  SHA512WithRSA: "1.2.840.113549.1.1.13",
  ECDSAWithSHA256: "1.2.840.10045.4.3.2",
  ECDSAWithSHA384: "1.2.840.10045.4.3.3",
  ECDSAWithSHA512: "1.2.840.10045.4.3.4",
  PureEd25519: "1.3.101.112",
};

/** The info's version, subject and attributes as hex: all of it but the key, which is the signer's. */
function infoWithoutKey(info: Uint8Array): string[] {
  const [version, subject, , attributes] = childrenOf(wholeElement(info, TAG.SEQUENCE));
  return [version, subject, attributes].map((part) => hex(part?.der ?? new Uint8Array()));
}

describe("createCsr (DER)", async () => {
  for (const [name, template] of Object.entries(csrTemplates)) {
    it(`writes the recorded CertificationRequestInfo for ${name}`, async () => {
      const der = singlePemBlock(await createCsr(template, csrFixtureKey), "CERTIFICATE REQUEST", "csr");
      assert.equal(hex(readCsr(der).info), csrKnownAnswers[name]?.info);
    });
  }

  const keys: Readonly<Record<string, KeyObject>> = {
    rsa2048: parsePrivateKeyPem(fixture("rsa-2048-key.pem")),
    p256: await generatePrivateKey({ algorithm: "ECDSA", size: 256 }),
    p384: await generatePrivateKey({ algorithm: "ECDSA", size: 384 }),
    p521: await generatePrivateKey({ algorithm: "ECDSA", size: 521 }),
    ed25519: csrFixtureKey,
  };
  // [key, requested algorithm, the algorithm the request must be signed with]
  const signers: readonly (readonly [string, SignatureAlgorithm | undefined, SignatureAlgorithm])[] = [
    ["rsa2048", undefined, "SHA256WithRSA"],
    ["rsa2048", "SHA384WithRSA", "SHA384WithRSA"],
    ["rsa2048", "SHA512WithRSA", "SHA512WithRSA"],
    ["p256", undefined, "ECDSAWithSHA256"],
    ["p256", "ECDSAWithSHA384", "ECDSAWithSHA384"],
    ["p384", undefined, "ECDSAWithSHA384"],
    ["p521", undefined, "ECDSAWithSHA512"],
    ["ed25519", undefined, "PureEd25519"],
  ];
  for (const [keyName, requested, signedWith] of signers) {
    it(`signs every template with ${keyName} as ${signedWith}, carrying the key and the recorded rest`, async () => {
      const key = keys[keyName]!;
      for (const [name, template] of Object.entries(csrTemplates)) {
        const request = { ...template, ...(requested ? { signatureAlgorithm: requested } : {}) };
        const pem = await createCsr(request, key);
        const csr = readCsr(singlePemBlock(pem, "CERTIFICATE REQUEST", "csr"));
        const recorded = Buffer.from(csrKnownAnswers[name]?.info ?? "", "hex");
        assert.deepEqual(infoWithoutKey(csr.info), infoWithoutKey(recorded), name);
        assert.equal(
          hex(csr.subjectPublicKeyInfo),
          hex(createPublicKey(key).export({ type: "spki", format: "der" })),
          name,
        );
        assert.equal(csr.signatureAlgorithm, SIGNATURE_OIDS[signedWith], name);
        assert.ok(await verifyCsrSignature(parseCsr(pem)), name);
      }
    });
  }
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { expectedPem, knownAnswers } from "./fixtures/known-answers.ts";
import {
  describeKey,
  encodePrivateKeyPem,
  generatePrivateKey,
  type KeySpec,
  keyMatchesSpec,
  parsePrivateKeyPem,
  publicKeysMatch,
} from "./keys.ts";

describe("keys", () => {
  const specs: { spec: KeySpec; pkcs1Label: string; description: object }[] = [
    {
      spec: { algorithm: "RSA" },
      pkcs1Label: "RSA PRIVATE KEY",
      description: { algorithm: "RSA", size: 2048 },
    },
    {
      spec: { algorithm: "ECDSA", size: 256 },
      pkcs1Label: "EC PRIVATE KEY",
      description: { algorithm: "ECDSA", size: 256, curve: "P-256" },
    },
    {
      spec: { algorithm: "ECDSA", size: 384 },
      pkcs1Label: "EC PRIVATE KEY",
      description: { algorithm: "ECDSA", size: 384, curve: "P-384" },
    },
    {
      spec: { algorithm: "ECDSA", size: 521 },
      pkcs1Label: "EC PRIVATE KEY",
      description: { algorithm: "ECDSA", size: 521, curve: "P-521" },
    },
    {
      spec: { algorithm: "Ed25519" },
      pkcs1Label: "PRIVATE KEY",
      description: { algorithm: "Ed25519", size: 256 },
    },
  ];

  for (const { spec, pkcs1Label, description } of specs) {
    it(`generates ${spec.algorithm} ${spec.size ?? "default"} and round-trips it through PKCS1 and PKCS8 PEM`, async () => {
      const key = await generatePrivateKey(spec);
      assert.deepEqual(describeKey(key), description);
      assert.ok(keyMatchesSpec(key, spec));
      const pkcs1 = encodePrivateKeyPem(key, "PKCS1");
      const pkcs8 = encodePrivateKeyPem(key, "PKCS8");
      assert.match(pkcs1, new RegExp(`^-----BEGIN ${pkcs1Label}-----\n`));
      assert.match(pkcs8, /^-----BEGIN PRIVATE KEY-----\n/);
      for (const pem of [pkcs1, pkcs8]) {
        const parsed = parsePrivateKeyPem(pem);
        assert.ok(publicKeysMatch(parsed, key));
      }
    });
  }

  it("rejects RSA sizes outside 2048..8192 and ECDSA sizes other than 256/384/521", async () => {
    await assert.rejects(generatePrivateKey({ algorithm: "RSA", size: 1024 }), ValidationError);
    await assert.rejects(generatePrivateKey({ algorithm: "RSA", size: 16384 }), ValidationError);
    await assert.rejects(generatePrivateKey({ algorithm: "ECDSA", size: 224 }), ValidationError);
  });

  it("says which spec a key satisfies: algorithm and size, size ignored for Ed25519", async () => {
    const ec = await generatePrivateKey({ algorithm: "ECDSA", size: 384 });
    const ed = await generatePrivateKey({ algorithm: "Ed25519" });
    assert.equal(keyMatchesSpec(ec, { algorithm: "ECDSA", size: 384 }), true);
    assert.equal(keyMatchesSpec(ec, { algorithm: "ECDSA" }), false);
    assert.equal(keyMatchesSpec(ec, { algorithm: "RSA", size: 384 }), false);
    assert.equal(keyMatchesSpec(ed, { algorithm: "Ed25519", size: 4096 }), true);
  });

  it("matches a key against its certificate and not against another key", async () => {
    const answer = knownAnswers.ed25519SelfSignedCA;
    const certificate = expectedPem(answer);
    assert.equal(publicKeysMatch(answer.sign.signer.privateKey, certificate), true);
    assert.equal(publicKeysMatch(await generatePrivateKey({ algorithm: "Ed25519" }), certificate), false);
  });

  it("rejects an undecodable PEM with a validation error that carries no key material", () => {
    const garbage = "-----BEGIN PRIVATE KEY-----\nAAAAsecretish\n-----END PRIVATE KEY-----\n";
    assert.throws(
      () => parsePrivateKeyPem(garbage),
      (error: unknown) =>
        error instanceof ValidationError &&
        error.issues[0]?.rule === "pem" &&
        !error.message.includes("secretish"),
    );
  });
});

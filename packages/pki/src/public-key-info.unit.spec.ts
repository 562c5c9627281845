import assert from "node:assert/strict";
import { createPublicKey, type KeyObject } from "node:crypto";
import { describe, it } from "node:test";
import { generatePrivateKey, type KeySpec } from "./keys.ts";
import { publicKeyFromSpki, subjectPublicKeyInfo } from "./public-key-info.ts";

const spkiOf = (key: KeyObject) => new Uint8Array(key.export({ type: "spki", format: "der" }));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("SubjectPublicKeyInfo through JWK", () => {
  const specs: readonly KeySpec[] = [
    { algorithm: "ECDSA", size: 256 },
    { algorithm: "ECDSA", size: 384 },
    { algorithm: "ECDSA", size: 521 },
    { algorithm: "Ed25519" },
    { algorithm: "RSA", size: 2048 },
  ];
  for (const spec of specs) {
    it(`writes and reads a ${spec.algorithm} ${spec.size ?? ""} key as node's DER spki does`, async () => {
      // Several keys, so that coordinates with leading zero octets come up for P-521.
      for (let i = 0; i < (spec.algorithm === "RSA" ? 1 : 20); i++) {
        const publicKey = createPublicKey(await generatePrivateKey(spec));
        assert.equal(hex(subjectPublicKeyInfo(publicKey)), hex(spkiOf(publicKey)));
        assert.ok(publicKeyFromSpki(spkiOf(publicKey)).equals(publicKey));
      }
    });
  }

  it("reads a compressed point through node's DER path", async () => {
    const publicKey = createPublicKey(await generatePrivateKey({ algorithm: "ECDSA", size: 256 }));
    const { x, y } = publicKey.export({ format: "jwk" });
    const odd = (Buffer.from(y!, "base64url").at(-1)! & 1) === 1;
    const prefix = "3039301306072a8648ce3d020106082a8648ce3d030107032200";
    const compressed = Buffer.concat([
      Buffer.from(prefix, "hex"),
      Buffer.of(odd ? 3 : 2),
      Buffer.from(x!, "base64url"),
    ]);
    assert.ok(publicKeyFromSpki(compressed).equals(publicKey));
  });

  it("refuses a point off its curve", async () => {
    const spki = spkiOf(createPublicKey(await generatePrivateKey({ algorithm: "ECDSA", size: 384 })));
    spki[spki.length - 1]! ^= 0x01;
    assert.throws(() => publicKeyFromSpki(spki));
  });
});

import { createHash, type KeyObject } from "node:crypto";
import { toPublicKey } from "./keys.ts";

/** The subjectPublicKey BIT STRING contents of a key's SubjectPublicKeyInfo. */
function subjectPublicKeyBits(key: KeyObject): Buffer {
  const pub = toPublicKey(key);
  if (pub.asymmetricKeyType === "rsa") return pub.export({ type: "pkcs1", format: "der" });
  const jwk = pub.export({ format: "jwk" });
  const x = Buffer.from(jwk.x!, "base64url");
  // EC points are carried uncompressed (0x04 || X || Y); Ed25519 is the raw 32-byte key.
  return jwk.y === undefined ? x : Buffer.concat([Buffer.of(4), x, Buffer.from(jwk.y, "base64url")]);
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(key: KeyObject): Uint8Array {
  return new Uint8Array(createHash("sha1").update(subjectPublicKeyBits(key)).digest());
}

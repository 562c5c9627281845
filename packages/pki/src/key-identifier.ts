import { createHash, type KeyObject } from "node:crypto";
import { toPublicKey } from "./keys.ts";
import { subjectPublicKeyBits } from "./public-key-info.ts";

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(key: KeyObject): Uint8Array {
  return new Uint8Array(
    createHash("sha1")
      .update(subjectPublicKeyBits(toPublicKey(key)))
      .digest(),
  );
}

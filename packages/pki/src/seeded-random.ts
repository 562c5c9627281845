import { hkdfSync } from "node:crypto";
import { ValidationError } from "@certplane/domain";
import type { RandomSource } from "./serial-number.ts";

// HKDF-SHA-256 gives at most 255 blocks of output per seed (RFC 5869 §2.3).
const MAX_BYTES = 255 * 32;

/**
 * Salts and IVs that are unpredictable without `seed` yet the same for the same seed: a keystore
 * rebuilt from the same key, certificates and password comes out byte for byte the same, so
 * republishing it changes nothing. `seed` must be secret (derived from the private key).
 */
export function seededRandom(seed: Uint8Array, purpose: string): RandomSource {
  const stream = Buffer.from(hkdfSync("sha256", seed, Buffer.alloc(0), purpose, MAX_BYTES));
  let offset = 0;
  return (size) => {
    if (offset + size > stream.length) {
      throw ValidationError.of("random", "exhausted", `seeded randomness for ${purpose} is used up`);
    }
    offset += size;
    return stream.subarray(offset - size, offset);
  };
}

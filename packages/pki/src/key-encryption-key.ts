import {
  type CipherGCM,
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  type DecipherGCM,
  hkdfSync,
} from "node:crypto";
import { inspect } from "node:util";
import { ValidationError } from "@certplane/domain";

export const KEK_BYTES = 32;

/**
 * A 32-byte AES-256 key-encryption key. The bytes stay private to this class; logging or
 * serialising it shows only the id.
 */
export class KeyEncryptionKey {
  /** First 8 hex digits of SHA-256(key): names the key in sealed values without revealing it. */
  readonly id: string;
  readonly #key: Buffer;
  /** A key of its own for synthetic IVs, so the AES key is never also an HMAC key. */
  readonly #ivKey: Buffer;

  private constructor(key: Buffer) {
    this.#key = key;
    this.#ivKey = Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), "certplane synthetic iv", 32));
    this.id = createHash("sha256").update(key).digest("hex").slice(0, 8);
  }

  static fromBytes(bytes: Uint8Array, field = "kek"): KeyEncryptionKey {
    if (bytes.length !== KEK_BYTES) {
      throw ValidationError.of(
        field,
        "length",
        `key-encryption key must be ${KEK_BYTES} bytes, got ${bytes.length}`,
      );
    }
    return new KeyEncryptionKey(Buffer.from(bytes));
  }

  static fromBase64(text: string, field = "kek"): KeyEncryptionKey {
    return KeyEncryptionKey.fromBytes(Buffer.from(text.trim(), "base64"), field);
  }

  cipher(iv: Uint8Array): CipherGCM {
    return createCipheriv("aes-256-gcm", this.#key, iv);
  }

  decipher(iv: Uint8Array): DecipherGCM {
    return createDecipheriv("aes-256-gcm", this.#key, iv);
  }

  /**
   * An IV that depends only on what is sealed (SIV's idea, RFC 5297): the same value under the same
   * AAD seals to the same text, and two different values get different IVs but for a 2^-96 chance.
   */
  syntheticIv(aad: string, plaintext: Uint8Array | string, bytes: number): Buffer {
    return createHmac("sha256", this.#ivKey)
      .update(aad, "utf8")
      .update(Buffer.of(0))
      .update(plaintext)
      .digest()
      .subarray(0, bytes);
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }

  [inspect.custom](): string {
    return `KeyEncryptionKey(${this.id})`;
  }
}

import { type CipherGCM, createCipheriv, createDecipheriv, createHash, type DecipherGCM } from "node:crypto";
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

  private constructor(key: Buffer) {
    this.#key = key;
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

  toJSON(): { id: string } {
    return { id: this.id };
  }

  [inspect.custom](): string {
    return `KeyEncryptionKey(${this.id})`;
  }
}

import { ValidationError } from "@certplane/domain";
import type { KeyEncryptionKey } from "./key-encryption-key.ts";
import type { RandomSource } from "./serial-number.ts";

// sealed:v1:<kekId>:<iv b64>:<tag b64>:<ciphertext b64>
const PREFIX = "sealed:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

/**
 * AES-256-GCM under `kek`. `aad` names the owner (e.g. `secret/ns/name/tls.key`) and must be given
 * again to open, so a sealed value copied to another owner does not open.
 */
export function seal(
  kek: KeyEncryptionKey,
  plaintext: Uint8Array | string,
  aad: string,
  random: RandomSource,
): string {
  const iv = random(IV_BYTES);
  const cipher = kek.cipher(iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => Buffer.from(b).toString("base64"));
  return `${PREFIX}${kek.id}:${parts.join(":")}`;
}

/**
 * `seal` with a synthetic IV: sealing the same value under the same AAD again gives the same text.
 * For values inside a spec (a keystore's literal password), so re-applying an unchanged manifest
 * stays unchanged; it reveals only that a field still holds the value it held before.
 */
export function sealDeterministic(
  kek: KeyEncryptionKey,
  plaintext: Uint8Array | string,
  aad: string,
): string {
  return seal(kek, plaintext, aad, (bytes) => kek.syntheticIv(aad, plaintext, bytes));
}

export function open(kek: KeyEncryptionKey, sealed: string, aad: string): Buffer {
  const parts = sealed.startsWith(PREFIX) ? sealed.slice(PREFIX.length).split(":") : [];
  if (parts.length !== 4) {
    throw ValidationError.of("sealed", "format", "value is not in the sealed:v1 format");
  }
  const [kekId, ivText, tagText, ciphertextText] = parts as [string, string, string, string];
  if (kekId !== kek.id) {
    throw ValidationError.of(
      "sealed",
      "kekMismatch",
      `sealed with key-encryption key ${kekId}, not ${kek.id}`,
    );
  }
  const iv = Buffer.from(ivText, "base64");
  const tag = Buffer.from(tagText, "base64");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw ValidationError.of("sealed", "format", "sealed value has a malformed IV or tag");
  }
  const decipher = kek.decipher(iv);
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertextText, "base64")), decipher.final()]);
  } catch (cause) {
    throw new ValidationError(
      [
        {
          field: "sealed",
          rule: "integrity",
          message: `sealed value for ${aad} failed authentication (tampered or moved)`,
        },
      ],
      { cause },
    );
  }
}

/**
 * The AAD a secret's value is sealed under, the one wire format every service shares: it names
 * the secret and the entry, so a sealed value copied to another secret or entry does not open.
 */
export function secretValueAad(
  secret: { readonly namespace: string; readonly name: string },
  key: string,
): string {
  return `secret/${secret.namespace}/${secret.name}/${key}`;
}

/** The AAD of a Certificate's literal keystore password, sealed by intake and opened by the publisher. */
export function keystorePasswordAad(
  certificate: { readonly namespace: string; readonly name: string },
  keystore: "jks" | "pkcs12",
): string {
  return `certificate/${certificate.namespace}/${certificate.name}/keystores.${keystore}.password`;
}

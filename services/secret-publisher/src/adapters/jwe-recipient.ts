// Seals private values to a consumer's public key as compact JWEs (RFC 7516), so any JOSE library
// opens them with the consumer's private key and certplane never holds a way to read them back.
import { createPublicKey, type KeyObject } from "node:crypto";
import { ValidationError } from "@certplane/domain";
import { CompactEncrypt, calculateJwkThumbprint, exportJWK } from "jose";
import type { SecretValue } from "../secrets/secret-values.ts";
import { valueBytes } from "../secrets/secret-values.ts";

/** RFC 7518 §4.6 key agreement for EC and X25519 keys, §4.3 RSAES-OAEP for RSA; content always A256GCM. */
export type JweKeyAlgorithm = "ECDH-ES+A256KW" | "RSA-OAEP-256";

const EC_CURVES = new Set(["prime256v1", "secp384r1", "secp521r1"]);
const MIN_RSA_BITS = 2048;

export class JweRecipient {
  readonly alg: JweKeyAlgorithm;
  /** RFC 7638 thumbprint of the recipient key, the JWE's `kid`: a consumer rotating keys picks the right one. */
  readonly kid: string;
  readonly #key: KeyObject;

  private constructor(key: KeyObject, alg: JweKeyAlgorithm, kid: string) {
    this.#key = key;
    this.alg = alg;
    this.kid = kid;
  }

  /** `field` names the spec field the PEM came from; messages never repeat the PEM. */
  static async fromPublicKeyPem(pem: string, field: string): Promise<JweRecipient> {
    let key: KeyObject;
    try {
      key = createPublicKey({ key: pem, format: "pem" });
    } catch (error) {
      throw new ValidationError(
        [{ field, rule: "publicKey", message: "does not parse as a PEM SubjectPublicKeyInfo public key" }],
        { cause: error },
      );
    }
    const alg = algorithmFor(key, field);
    const kid = await calculateJwkThumbprint(await exportJWK(key), "sha256");
    return new JweRecipient(key, alg, kid);
  }

  async seal(plaintext: SecretValue): Promise<string> {
    return await new CompactEncrypt(valueBytes(plaintext))
      .setProtectedHeader({ alg: this.alg, enc: "A256GCM", kid: this.kid })
      .encrypt(this.#key);
  }
}

function algorithmFor(key: KeyObject, field: string): JweKeyAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case "ec":
      if (details.namedCurve !== undefined && EC_CURVES.has(details.namedCurve)) return "ECDH-ES+A256KW";
      break;
    case "x25519":
      return "ECDH-ES+A256KW";
    case "rsa":
      if ((details.modulusLength ?? 0) >= MIN_RSA_BITS) return "RSA-OAEP-256";
      throw ValidationError.of(
        field,
        "publicKey",
        `an RSA recipient key must have at least ${MIN_RSA_BITS} bits`,
      );
  }
  const type = `${key.asymmetricKeyType ?? "unknown"}${details.namedCurve ? ` ${details.namedCurve}` : ""}`;
  throw ValidationError.of(
    field,
    "publicKey",
    `a ${type} key cannot receive a JWE: use EC P-256, P-384, P-521, X25519 or RSA (at least ${MIN_RSA_BITS} bits)`,
  );
}

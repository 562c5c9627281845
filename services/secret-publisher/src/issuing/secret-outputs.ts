// What a Certificate's Secret holds beyond tls.crt, tls.key and ca.crt: cert-manager's
// additionalOutputFormats and keystores (issuing/internal/secret.go setKeystores and
// setAdditionalOutputFormats), with the same keys, contents and certificate order.

import type { KeyObject } from "node:crypto";
import { createHash } from "node:crypto";
import type { CertificateSpec } from "@certplane/domain";
import { ValidationError } from "@certplane/domain";
import type { Pkcs12Profile } from "@certplane/pki";
import {
  combinedPem,
  encodeJks,
  encodePkcs12Keystore,
  encodePkcs12Truststore,
  pemBlocks,
  privateKeyDer,
  seededRandom,
} from "@certplane/pki";
import type { KeystorePasswords } from "../secrets/keystore-passwords.ts";
import type { SecretValue } from "../secrets/secret-values.ts";

export interface OutputMaterial {
  /** tls.key as stored. */
  readonly keyPem: string;
  readonly key: KeyObject;
  /** tls.crt: the leaf, then the chain the issuer returned. */
  readonly chainPem: string;
  /** ca.crt, when the issuer returned one. */
  readonly caPem: string | undefined;
  /** The leaf's notBefore: the JKS entries' creation date, fixed per issued certificate. */
  readonly issuedAt: Date;
}

export type OutputSpec = Pick<CertificateSpec, "keystores" | "additionalOutputFormats">;

/**
 * The extra values for the Secret, all private (each one holds the key, or, for the truststores,
 * is protected by the keystore password like the keystore beside it). Keystores are rebuilt from
 * the same inputs byte for byte (salts and IVs seeded from the key and those inputs), so writing
 * the Secret again changes nothing unless the key, certificates, password or spec changed.
 */
export function secretOutputs(
  spec: OutputSpec,
  material: OutputMaterial,
  passwords: KeystorePasswords,
): Record<string, SecretValue> {
  const values: Record<string, SecretValue> = {};
  for (const { type } of spec.additionalOutputFormats ?? []) {
    if (type === "DER") values["key.der"] = privateKeyDer(material.keyPem);
    else values["tls-combined.pem"] = combinedPem(material.keyPem, material.chainPem);
  }
  const chain = pemBlocks(material.chainPem)
    .filter((block) => block.label === "CERTIFICATE")
    .map((block) => block.der);
  const cas = pemBlocks(material.caPem ?? "")
    .filter((block) => block.label === "CERTIFICATE")
    .map((block) => block.der);
  // cert-manager's truststores hold only the first certificate of ca.crt.
  const ca = cas[0];
  const random = (name: string, ...inputs: string[]) =>
    seededRandom(seedOf(material, [name, ...inputs]), `certplane ${name}`);

  const pkcs12 = spec.keystores?.pkcs12;
  const pkcs12Password = passwords.pkcs12;
  if (pkcs12?.create && pkcs12Password !== undefined) {
    const profile = pkcs12ProfileOf(pkcs12.profile);
    values["keystore.p12"] = encodePkcs12Keystore({
      profile,
      password: pkcs12Password,
      key: material.key,
      // go-pkcs12 takes one certificate and a CA list: the rest of the chain, then ca.crt's certificates.
      certificates: [...chain, ...cas],
      random: random("keystore.p12", profile, pkcs12Password),
    });
    if (ca !== undefined) {
      values["truststore.p12"] = encodePkcs12Truststore({
        profile,
        password: pkcs12Password,
        certificates: [ca],
        random: random("truststore.p12", profile, pkcs12Password),
      });
    }
  }

  const jks = spec.keystores?.jks;
  const jksPassword = passwords.jks;
  if (jks?.create && jksPassword !== undefined) {
    const alias = jks.alias ?? "certificate";
    const trusted = ca === undefined ? [] : [{ alias: "ca", certificate: ca }];
    values["keystore.jks"] = encodeJks({
      password: jksPassword,
      keys: [{ alias, key: material.key, chain }],
      trusted,
      created: material.issuedAt,
      random: random("keystore.jks", alias, jksPassword),
    });
    if (ca !== undefined) {
      values["truststore.jks"] = encodeJks({
        password: jksPassword,
        trusted,
        created: material.issuedAt,
        random: random("truststore.jks", jksPassword),
      });
    }
  }
  return values;
}

type SpecProfile = NonNullable<NonNullable<CertificateSpec["keystores"]>["pkcs12"]>["profile"];

function pkcs12ProfileOf(profile: SpecProfile): Pkcs12Profile {
  if (profile === undefined) return "LegacyRC2";
  if (profile === "Modern2026") {
    // Validation refuses it; a Certificate stored before that rule still must not get a weaker file.
    throw ValidationError.of(
      "spec.keystores.pkcs12.profile",
      "unsupported",
      "PKCS#12 profile Modern2026 (PBMAC1) is not supported by certplane yet; use Modern2023",
    );
  }
  return profile;
}

/** Length-framed SHA-256 of the private key and every input, so no two input lists collide. */
function seedOf(material: OutputMaterial, inputs: readonly string[]): Buffer {
  const hash = createHash("sha256");
  const frame = (bytes: Uint8Array) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  frame(material.key.export({ type: "pkcs8", format: "der" }));
  for (const input of [...inputs, material.chainPem, material.caPem ?? ""]) frame(Buffer.from(input, "utf8"));
  return hash.digest();
}

// PKCS#12 (RFC 7292) keystores and truststores as cert-manager writes them with
// software.sslmate.com/src/go-pkcs12: the same three profiles, bag layout and attributes.
//
// Written here rather than with node-forge's `pkcs12.toPkcs12Asn1`: that leaves the certificates
// unencrypted, MACs with SHA-1 only, takes only RSA keys and draws salts from a global RNG, so it
// cannot produce LegacyRC2, LegacyDES or Modern2023, nor be given the seeded randomness that keeps a
// keystore byte-stable across republishes. forge still supplies the DER writer, the RFC 7292
// appendix B key derivation and RC2 (which OpenSSL 3, and so node, only has in its legacy provider).

import type { KeyObject } from "node:crypto";
import { createCipheriv, createHash, createHmac, pbkdf2Sync, X509Certificate } from "node:crypto";
import { ValidationError } from "@certplane/domain";
import forge from "node-forge";
import { type Asn1, der } from "./asn1-der.ts";
import type { RandomSource } from "./serial-number.ts";

/** cert-manager's `spec.keystores.pkcs12.profile` values this encoder writes. */
export type Pkcs12Profile = "LegacyRC2" | "LegacyDES" | "Modern2023";

type Pbe = "rc2-40" | "3des" | "pbes2-aes256";

interface ProfileParameters {
  readonly certificates: Pbe;
  readonly key: Pbe;
  readonly mac: "sha1" | "sha256";
  readonly macIterations: number;
  readonly iterations: number;
  readonly saltBytes: number;
}

// go-pkcs12's encoders of the same names.
const profiles: Readonly<Record<Pkcs12Profile, ProfileParameters>> = {
  LegacyRC2: {
    certificates: "rc2-40",
    key: "3des",
    mac: "sha1",
    macIterations: 1,
    iterations: 2048,
    saltBytes: 8,
  },
  LegacyDES: {
    certificates: "3des",
    key: "3des",
    mac: "sha1",
    macIterations: 1,
    iterations: 2048,
    saltBytes: 8,
  },
  Modern2023: {
    certificates: "pbes2-aes256",
    key: "pbes2-aes256",
    mac: "sha256",
    macIterations: 2048,
    iterations: 2048,
    saltBytes: 16,
  },
};

const oids = {
  data: "1.2.840.113549.1.7.1",
  encryptedData: "1.2.840.113549.1.7.6",
  pkcs8ShroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
  certBag: "1.2.840.113549.1.12.10.1.3",
  x509Certificate: "1.2.840.113549.1.9.22.1",
  friendlyName: "1.2.840.113549.1.9.20",
  localKeyId: "1.2.840.113549.1.9.21",
  // Oracle's trusted-certificate attribute: Java reads such a bag as a trustedCertEntry.
  javaTrustStore: "2.16.840.1.113894.746875.1.1",
  anyExtendedKeyUsage: "2.5.29.37.0",
  pbeWithSha1And3DesCbc: "1.2.840.113549.1.12.1.3",
  pbeWithSha1And40BitRc2Cbc: "1.2.840.113549.1.12.1.6",
  pbes2: "1.2.840.113549.1.5.13",
  pbkdf2: "1.2.840.113549.1.5.12",
  hmacWithSha256: "1.2.840.113549.2.9",
  aes256Cbc: "2.16.840.1.101.3.4.1.42",
  sha1: "1.3.14.3.2.26",
  sha256: "2.16.840.1.101.3.4.2.1",
} as const;

export interface Pkcs12KeystoreInput {
  readonly profile: Pkcs12Profile;
  readonly password: string;
  readonly key: KeyObject;
  /** DER certificates, leaf first, then the rest of the chain and the CA certificates. */
  readonly certificates: readonly Uint8Array[];
  readonly random: RandomSource;
}

export interface Pkcs12TruststoreInput {
  readonly profile: Pkcs12Profile;
  readonly password: string;
  /** DER certificates to trust. */
  readonly certificates: readonly Uint8Array[];
  readonly random: RandomSource;
}

/**
 * A keystore like go-pkcs12's `Encode`: one encrypted SafeContents with the certificates, one plain
 * SafeContents with the shrouded key; key and leaf carry the leaf's SHA-1 as localKeyId.
 */
export function encodePkcs12Keystore(input: Pkcs12KeystoreInput): Buffer {
  const params = profiles[input.profile];
  const [leaf, ...rest] = input.certificates;
  if (leaf === undefined) {
    throw ValidationError.of("certificates", "required", "a PKCS#12 keystore needs the leaf certificate");
  }
  const password = passwordBytes(input.password);
  const localKeyId = attribute(oids.localKeyId, der.octets(createHash("sha1").update(leaf).digest()));
  const certBags = [certBag(leaf, [localKeyId]), ...rest.map((cert) => certBag(cert, []))];
  const pkcs8 = input.key.export({ type: "pkcs8", format: "der" });
  const encrypted = pbeEncrypt(params.key, password, pkcs8, params, input.random);
  const shrouded = der.seq([encrypted.algorithm, der.octets(encrypted.ciphertext)]);
  const keyBag = safeBag(oids.pkcs8ShroudedKeyBag, shrouded, [localKeyId]);
  return pfx(
    [encryptedSafe(certBags, password, params, input.random), plainSafe([keyBag])],
    password,
    params,
    input.random,
  );
}

/** A truststore like go-pkcs12's `EncodeTrustStore`: each certificate trusted, named by its subject. */
export function encodePkcs12Truststore(input: Pkcs12TruststoreInput): Buffer {
  const params = profiles[input.profile];
  const password = passwordBytes(input.password);
  const trusted = attribute(oids.javaTrustStore, der.oid(oids.anyExtendedKeyUsage));
  const bags = input.certificates.map((cert) =>
    certBag(cert, [trusted, attribute(oids.friendlyName, der.bmp(subjectOf(cert)))]),
  );
  return pfx([encryptedSafe(bags, password, params, input.random)], password, params, input.random);
}

interface PasswordBytes {
  /** For the RFC 7292 appendix B derivation, which encodes it as a BMPString itself. */
  readonly text: string;
  /** For PBKDF2 (RFC 8018 PBES2), which takes the password's own bytes. */
  readonly utf8: Buffer;
}

function passwordBytes(text: string): PasswordBytes {
  if ([...text].some((char) => char.codePointAt(0)! > 0xffff)) {
    // BMPString holds UCS-2 only; go-pkcs12 refuses the same passwords.
    throw ValidationError.of("password", "ucs2", "a PKCS#12 password may only contain characters of the BMP");
  }
  return { text, utf8: Buffer.from(text, "utf8") };
}

function subjectOf(cert: Uint8Array): string {
  // Go's pkix.Name.String(): RFC 2253 order, most specific first, no spaces.
  const subject = new X509Certificate(cert).subject ?? "";
  return subject === "" ? "" : subject.split("\n").reverse().join(",");
}

function attribute(oid: string, value: Asn1): Asn1 {
  return der.seq([der.oid(oid), der.set([value])]);
}

function safeBag(bagId: string, value: Asn1, attributes: readonly Asn1[]): Asn1 {
  return der.seq([
    der.oid(bagId),
    der.explicit0(value),
    ...(attributes.length > 0 ? [der.set(attributes)] : []),
  ]);
}

function certBag(cert: Uint8Array, attributes: readonly Asn1[]): Asn1 {
  const value = der.seq([der.oid(oids.x509Certificate), der.explicit0(der.octets(cert))]);
  return safeBag(oids.certBag, value, attributes);
}

function plainSafe(bags: readonly Asn1[]): Asn1 {
  return der.seq([der.oid(oids.data), der.explicit0(der.octets(der.encode(der.seq(bags))))]);
}

function encryptedSafe(
  bags: readonly Asn1[],
  password: PasswordBytes,
  params: ProfileParameters,
  random: RandomSource,
): Asn1 {
  const { algorithm, ciphertext } = pbeEncrypt(
    params.certificates,
    password,
    der.encode(der.seq(bags)),
    params,
    random,
  );
  const encryptedContentInfo = der.seq([der.oid(oids.data), algorithm, der.implicit(0, ciphertext)]);
  return der.seq([der.oid(oids.encryptedData), der.explicit0(der.seq([der.int(0), encryptedContentInfo]))]);
}

/** `plaintext` encrypted under the password, with the AlgorithmIdentifier that says how. */
function pbeEncrypt(
  pbe: Pbe,
  password: PasswordBytes,
  plaintext: Uint8Array,
  params: ProfileParameters,
  random: RandomSource,
): { readonly algorithm: Asn1; readonly ciphertext: Buffer } {
  const salt = random(params.saltBytes);
  const iterations = params.iterations;
  if (pbe === "pbes2-aes256") {
    const iv = random(16);
    const key = pbkdf2Sync(password.utf8, salt, iterations, 32, "sha256");
    const algorithm = der.seq([
      der.oid(oids.pbes2),
      der.seq([
        der.seq([
          der.oid(oids.pbkdf2),
          der.seq([
            der.octets(salt),
            der.int(iterations),
            der.seq([der.oid(oids.hmacWithSha256), der.null()]),
          ]),
        ]),
        der.seq([der.oid(oids.aes256Cbc), der.octets(iv)]),
      ]),
    ]);
    return { algorithm, ciphertext: cipher("aes-256-cbc", key, iv, plaintext) };
  }
  const oid = pbe === "3des" ? oids.pbeWithSha1And3DesCbc : oids.pbeWithSha1And40BitRc2Cbc;
  const algorithm = der.seq([der.oid(oid), der.seq([der.octets(salt), der.int(iterations)])]);
  const keyBytes = pbe === "3des" ? 24 : 5;
  const key = pkcs12Kdf(password, salt, 1, iterations, keyBytes, "sha1");
  const iv = pkcs12Kdf(password, salt, 2, iterations, 8, "sha1");
  const ciphertext =
    pbe === "3des" ? cipher("des-ede3-cbc", key, iv, plaintext) : rc2Encrypt(key, iv, plaintext);
  return { algorithm, ciphertext };
}

function cipher(name: string, key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Buffer {
  const c = createCipheriv(name, key, iv);
  return Buffer.concat([c.update(plaintext), c.final()]);
}

function rc2Encrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Buffer {
  const c = forge.rc2.createEncryptionCipher(Buffer.from(key).toString("binary"), 40);
  c.start(Buffer.from(iv).toString("binary"));
  c.update(forge.util.createBuffer(Buffer.from(plaintext).toString("binary")));
  c.finish();
  return Buffer.from(c.output.getBytes(), "binary");
}

/** RFC 7292 appendix B.2 (id 1 key, 2 IV, 3 MAC key), through forge's implementation. */
function pkcs12Kdf(
  password: PasswordBytes,
  salt: Uint8Array,
  id: 1 | 2 | 3,
  iterations: number,
  size: number,
  digest: "sha1" | "sha256",
): Buffer {
  const md = digest === "sha1" ? forge.md.sha1.create() : forge.md.sha256.create();
  const saltBuffer = forge.util.createBuffer(Buffer.from(salt).toString("binary"));
  // forge encodes the password as BMPString with the terminator itself (from UTF-16 code units).
  const key = forge.pkcs12.generateKey(password.text, saltBuffer, id, iterations, size, md);
  return Buffer.from(key.getBytes(), "binary");
}

function pfx(
  safes: readonly Asn1[],
  password: PasswordBytes,
  params: ProfileParameters,
  random: RandomSource,
): Buffer {
  const authSafe = der.encode(der.seq(safes));
  const macSalt = random(params.saltBytes);
  const macKeyBytes = params.mac === "sha1" ? 20 : 32;
  const macKey = pkcs12Kdf(password, macSalt, 3, params.macIterations, macKeyBytes, params.mac);
  const mac = createHmac(params.mac, macKey).update(authSafe).digest();
  const macData = der.seq([
    der.seq([
      der.seq([der.oid(params.mac === "sha1" ? oids.sha1 : oids.sha256), der.null()]),
      der.octets(mac),
    ]),
    der.octets(macSalt),
    der.int(params.macIterations),
  ]);
  return der.encode(
    der.seq([der.int(3), der.seq([der.oid(oids.data), der.explicit0(der.octets(authSafe))]), macData]),
  );
}

import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  generateKeyPairSync,
  type KeyObject,
  X509Certificate,
} from "node:crypto";
import { promisify } from "node:util";
import { ValidationError } from "@certplane/domain";

export type KeyAlgorithm = "RSA" | "ECDSA" | "Ed25519";
export type KeyEncoding = "PKCS1" | "PKCS8";
export type EcCurve = "P-256" | "P-384" | "P-521";

/** cert-manager's privateKey.{algorithm,size}; size is ignored for Ed25519. */
export interface KeySpec {
  readonly algorithm: KeyAlgorithm;
  readonly size?: number;
}

export interface KeyDescription {
  readonly algorithm: KeyAlgorithm;
  /** RSA modulus bits, ECDSA curve bits, 256 for Ed25519. */
  readonly size: number;
  readonly curve?: EcCurve;
}

/** A key, or a PEM holding a private key, public key or certificate (the first one counts). */
export type KeyOrCertificate = KeyObject | string;

const curveBySize: Readonly<Record<number, EcCurve>> = { 256: "P-256", 384: "P-384", 521: "P-521" };
const curveByNodeName: Readonly<Record<string, EcCurve>> = {
  prime256v1: "P-256",
  secp384r1: "P-384",
  secp521r1: "P-521",
};
const sizeByCurve: Readonly<Record<EcCurve, number>> = { "P-256": 256, "P-384": 384, "P-521": 521 };

const generate = promisify(generateKeyPair);

export const DEFAULT_RSA_SIZE = 2048;
export const DEFAULT_ECDSA_SIZE = 256;

export async function generatePrivateKey(spec: KeySpec): Promise<KeyObject> {
  switch (spec.algorithm) {
    case "RSA": {
      const size = spec.size ?? DEFAULT_RSA_SIZE;
      if (!Number.isInteger(size) || size < 2048 || size > 8192) {
        throw ValidationError.of("privateKey.size", "range", `RSA key size must be 2048..8192, got ${size}`);
      }
      return (await generate("rsa", { modulusLength: size })).privateKey;
    }
    case "ECDSA": {
      const size = spec.size ?? DEFAULT_ECDSA_SIZE;
      const curve = curveBySize[size];
      if (!curve) {
        throw ValidationError.of(
          "privateKey.size",
          "enum",
          `ECDSA key size must be 256, 384 or 521, got ${size}`,
        );
      }
      // EC and Ed25519 keys take ~60 µs to make, less than the ~110 µs of CPU handing the job to
      // libuv's thread pool costs (issue 14); only RSA keys, which take milliseconds, go there.
      return generateKeyPairSync("ec", { namedCurve: curve }).privateKey;
    }
    case "Ed25519":
      return generateKeyPairSync("ed25519").privateKey;
  }
}

export function encodePrivateKeyPem(key: KeyObject, encoding: KeyEncoding): string {
  const { algorithm } = describeKey(key);
  // Ed25519 has no PKCS#1/SEC1 form, so cert-manager always writes it as PKCS#8.
  if (encoding === "PKCS8" || algorithm === "Ed25519") {
    return key.export({ type: "pkcs8", format: "pem" }) as string;
  }
  return key.export({ type: algorithm === "RSA" ? "pkcs1" : "sec1", format: "pem" }) as string;
}

/** Parses `RSA PRIVATE KEY`, `EC PRIVATE KEY` or `PRIVATE KEY` PEM; rejects unsupported algorithms. */
export function parsePrivateKeyPem(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch (cause) {
    throw new ValidationError(
      [{ field: "privateKey", rule: "pem", message: "not a decodable unencrypted private key PEM" }],
      { cause },
    );
  }
  describeKey(key);
  return key;
}

export function describeKey(key: KeyObject): KeyDescription {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return { algorithm: "RSA", size: key.asymmetricKeyDetails?.modulusLength ?? 0 };
    case "ec": {
      const curve = curveByNodeName[key.asymmetricKeyDetails?.namedCurve ?? ""];
      if (curve) return { algorithm: "ECDSA", size: sizeByCurve[curve], curve };
      break;
    }
    case "ed25519":
      return { algorithm: "Ed25519", size: 256 };
  }
  throw ValidationError.of(
    "privateKey.algorithm",
    "unsupported",
    `unsupported key type ${key.asymmetricKeyType ?? "unknown"}`,
  );
}

export function toPublicKey(source: KeyOrCertificate): KeyObject {
  if (typeof source !== "string") return source.type === "public" ? source : createPublicKey(source);
  if (source.includes("-----BEGIN CERTIFICATE-----")) return new X509Certificate(source).publicKey;
  try {
    return createPublicKey({ key: source, format: "pem" });
  } catch (cause) {
    throw new ValidationError(
      [{ field: "publicKey", rule: "pem", message: "no key or certificate in PEM" }],
      {
        cause,
      },
    );
  }
}

export function publicKeysMatch(a: KeyOrCertificate, b: KeyOrCertificate): boolean {
  return toPublicKey(a).equals(toPublicKey(b));
}

/** Same rule as cert-manager's reissue check: algorithm must match, and size too except for Ed25519. */
export function keyMatchesSpec(key: KeyObject, spec: KeySpec): boolean {
  const actual = describeKey(key);
  if (actual.algorithm !== spec.algorithm) return false;
  if (actual.algorithm === "Ed25519") return true;
  const expected = spec.size ?? (spec.algorithm === "RSA" ? DEFAULT_RSA_SIZE : DEFAULT_ECDSA_SIZE);
  return actual.size === expected;
}

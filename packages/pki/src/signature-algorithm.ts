import { createPublicKey, type KeyObject, type webcrypto } from "node:crypto";
import { ValidationError } from "@certplane/domain";
import { describeKey, type EcCurve, type KeyAlgorithm } from "./keys.ts";
import { x509Crypto } from "./x509.ts";

/** cert-manager's spec.signatureAlgorithm values. */
export type SignatureAlgorithm =
  | "SHA256WithRSA"
  | "SHA384WithRSA"
  | "SHA512WithRSA"
  | "ECDSAWithSHA256"
  | "ECDSAWithSHA384"
  | "ECDSAWithSHA512"
  | "PureEd25519";

const family: Readonly<Record<SignatureAlgorithm, KeyAlgorithm>> = {
  SHA256WithRSA: "RSA",
  SHA384WithRSA: "RSA",
  SHA512WithRSA: "RSA",
  ECDSAWithSHA256: "ECDSA",
  ECDSAWithSHA384: "ECDSA",
  ECDSAWithSHA512: "ECDSA",
  PureEd25519: "Ed25519",
};

const hash: Readonly<Record<SignatureAlgorithm, string>> = {
  SHA256WithRSA: "SHA-256",
  SHA384WithRSA: "SHA-384",
  SHA512WithRSA: "SHA-512",
  ECDSAWithSHA256: "SHA-256",
  ECDSAWithSHA384: "SHA-384",
  ECDSAWithSHA512: "SHA-512",
  PureEd25519: "",
};

// Go's crypto/x509 choice for a signer key, which is what cert-manager's issuers end up using.
const ecdsaDefault: Readonly<Record<EcCurve, SignatureAlgorithm>> = {
  "P-256": "ECDSAWithSHA256",
  "P-384": "ECDSAWithSHA384",
  "P-521": "ECDSAWithSHA512",
};

/** The requested algorithm if it fits the signer key's family, else the key's default. */
export function signatureAlgorithmFor(
  signerKey: KeyObject,
  requested?: SignatureAlgorithm,
  field = "spec.signatureAlgorithm",
): SignatureAlgorithm {
  const key = describeKey(signerKey);
  if (requested !== undefined) {
    if (family[requested] !== key.algorithm) {
      throw ValidationError.of(
        field,
        "keyAlgorithmMismatch",
        `signature algorithm ${requested} cannot be used with a ${key.algorithm} key`,
      );
    }
    return requested;
  }
  if (key.algorithm === "RSA") return "SHA256WithRSA";
  if (key.algorithm === "Ed25519") return "PureEd25519";
  return ecdsaDefault[key.curve!];
}

export interface WebCryptoSigner {
  readonly key: webcrypto.CryptoKey;
  readonly publicKey: webcrypto.CryptoKey;
  readonly algorithm: webcrypto.Algorithm | webcrypto.EcdsaParams;
}

/** Imports a node private key into WebCrypto bound to one signature algorithm, for @peculiar/x509. */
export async function webCryptoSigner(
  privateKey: KeyObject,
  algorithm: SignatureAlgorithm,
): Promise<WebCryptoSigner> {
  const key = describeKey(privateKey);
  const importParams =
    key.algorithm === "RSA"
      ? { name: "RSASSA-PKCS1-v1_5", hash: hash[algorithm] }
      : key.algorithm === "ECDSA"
        ? { name: "ECDSA", namedCurve: key.curve! }
        : { name: "Ed25519" };
  const pkcs8 = privateKey.export({ type: "pkcs8", format: "der" });
  const cryptoKey = await x509Crypto.subtle.importKey("pkcs8", pkcs8, importParams, false, ["sign"]);
  const spki = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  const publicKey = await x509Crypto.subtle.importKey("spki", spki, importParams, true, ["verify"]);
  const signParams = key.algorithm === "ECDSA" ? { name: "ECDSA", hash: hash[algorithm] } : importParams;
  return { key: cryptoKey, publicKey, algorithm: signParams };
}

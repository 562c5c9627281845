// Signing and verifying DER with node:crypto for each SignatureAlgorithm: the AlgorithmIdentifier
// that names it (RFC 5758 §3.2 for ECDSA, RFC 4055 §5 for RSA PKCS#1 v1.5, RFC 8410 §3 for
// Ed25519), the digest node's sign() and verify() take for it and the key type it needs.
import { constants, type KeyObject, sign, verify } from "node:crypto";
import { childrenOf, type DerElement, expectTag, MalformedDerError, readOid } from "./der-reader.ts";
import { NULL, oid, sequence, TAG } from "./der-writer.ts";
import type { SignatureAlgorithm } from "./signature-algorithm.ts";

interface DerSignatureAlgorithm {
  readonly oid: string;
  readonly identifier: Uint8Array;
  /** null for Ed25519, which hashes inside the signature scheme. */
  readonly digest: string | null;
  /** node's asymmetricKeyType of the keys that sign with it. */
  readonly keyType: "rsa" | "ec" | "ed25519";
}

// RSA identifiers carry an explicit NULL parameter; ECDSA and Ed25519 ones carry none.
const rsa = (dotted: string, digest: string): DerSignatureAlgorithm => ({
  oid: dotted,
  identifier: sequence([oid(dotted), NULL]),
  digest,
  keyType: "rsa",
});
const ecdsa = (dotted: string, digest: string): DerSignatureAlgorithm => ({
  oid: dotted,
  identifier: sequence([oid(dotted)]),
  digest,
  keyType: "ec",
});

const algorithms: Readonly<Record<SignatureAlgorithm, DerSignatureAlgorithm>> = {
  SHA256WithRSA: rsa("1.2.840.113549.1.1.11", "sha256"),
  SHA384WithRSA: rsa("1.2.840.113549.1.1.12", "sha384"),
  SHA512WithRSA: rsa("1.2.840.113549.1.1.13", "sha512"),
  ECDSAWithSHA256: ecdsa("1.2.840.10045.4.3.2", "sha256"),
  ECDSAWithSHA384: ecdsa("1.2.840.10045.4.3.3", "sha384"),
  ECDSAWithSHA512: ecdsa("1.2.840.10045.4.3.4", "sha512"),
  PureEd25519: {
    oid: "1.3.101.112",
    identifier: sequence([oid("1.3.101.112")]),
    digest: null,
    keyType: "ed25519",
  },
};

const byOid = new Map(
  (Object.entries(algorithms) as [SignatureAlgorithm, DerSignatureAlgorithm][]).map(([name, a]) => [
    a.oid,
    name,
  ]),
);

/** The AlgorithmIdentifier DER for `algorithm`. */
export function signatureAlgorithmIdentifier(algorithm: SignatureAlgorithm): Uint8Array {
  return algorithms[algorithm].identifier;
}

/**
 * The signature value over `data`: ECDSA as the DER ECDSA-Sig-Value X.509 wants, RSA as PKCS#1 v1.5
 * (node's default padding), Ed25519 as its 64 raw bytes.
 */
export function signDer(algorithm: SignatureAlgorithm, data: Uint8Array, key: KeyObject): Uint8Array {
  return sign(algorithms[algorithm].digest, data, { key, dsaEncoding: "der" });
}

/** The SignatureAlgorithm an AlgorithmIdentifier's OID names; undefined for one certplane does not use. */
export function signatureAlgorithmOfOid(dotted: string): SignatureAlgorithm | undefined {
  return byOid.get(dotted);
}

/** Whether `signature` over `data` verifies with `publicKey`; a key of another type never verifies. */
export function verifyDer(
  algorithm: SignatureAlgorithm,
  data: Uint8Array,
  signature: Uint8Array,
  publicKey: KeyObject,
): boolean {
  const { digest, keyType } = algorithms[algorithm];
  if (publicKey.asymmetricKeyType !== keyType) return false;
  try {
    return verify(digest, data, { key: publicKey, dsaEncoding: "der" }, signature);
  } catch {
    // node throws on signatures it cannot even decode (a malformed ECDSA-Sig-Value): not verified.
    return false;
  }
}

/** id-RSASSA-PSS (RFC 4055 §3.1): clients may sign their requests so, though certplane never signs with it. */
export const RSASSA_PSS_OID = "1.2.840.113549.1.1.10";

// The hashes Go's crypto/x509 (and so cert-manager) takes in RSASSA-PSS-params; SHA-1 it refuses.
const PSS_HASHES = new Map([
  ["2.16.840.1.101.3.4.2.1", "sha256"],
  ["2.16.840.1.101.3.4.2.2", "sha384"],
  ["2.16.840.1.101.3.4.2.3", "sha512"],
]);
const MGF1_OID = "1.2.840.113549.1.1.8";

/** RSASSA-PSS-params (RFC 4055 §3.1): the hash, MGF1 over the same hash, and the salt length. */
function pssParameters(parameters: DerElement | undefined): { digest: string; saltLength: number } {
  let digest: string | undefined;
  let mgfDigest: string | undefined;
  let saltLength = 20;
  for (const field of childrenOf(expectTag(parameters, TAG.SEQUENCE))) {
    const [value] = childrenOf(field);
    if (field.tag === 0xa0) digest = PSS_HASHES.get(readOid(childrenOf(expectTag(value, TAG.SEQUENCE))[0]));
    if (field.tag === 0xa1) {
      const [mgf, hash] = childrenOf(expectTag(value, TAG.SEQUENCE));
      if (readOid(mgf) !== MGF1_OID) throw new MalformedDerError("RSASSA-PSS mask generation is not MGF1");
      mgfDigest = PSS_HASHES.get(readOid(childrenOf(expectTag(hash, TAG.SEQUENCE))[0]));
    }
    if (field.tag === 0xa2)
      saltLength = Number.parseInt(Buffer.from(expectTag(value, TAG.INTEGER).content).toString("hex"), 16);
  }
  // Absent fields mean SHA-1, which is refused; MGF1 must use the signature's own hash.
  if (digest === undefined || mgfDigest !== digest || !Number.isSafeInteger(saltLength)) {
    throw new MalformedDerError("RSASSA-PSS parameters name a hash certplane does not verify");
  }
  return { digest, saltLength };
}

/** Whether an RSASSA-PSS `signature` over `data` verifies with the RSA `publicKey`; malformed parameters never do. */
export function verifyRsaPss(
  parameters: DerElement | undefined,
  data: Uint8Array,
  signature: Uint8Array,
  publicKey: KeyObject,
): boolean {
  if (publicKey.asymmetricKeyType !== "rsa") return false;
  try {
    const { digest, saltLength } = pssParameters(parameters);
    return verify(
      digest,
      data,
      { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength },
      signature,
    );
  } catch {
    return false;
  }
}

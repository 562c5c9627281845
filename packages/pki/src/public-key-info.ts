// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) to and from KeyObjects through JWK for EC and Ed25519
// keys. node's DER spki import and export go through OpenSSL 3's decoder and encoder framework,
// which took about 170 µs a call, twice a P-256 key generation, against 8 µs for a JWK export and
// 17 µs (Ed25519) to 100 µs (P-256, which checks the point) for a JWK import (issue 14). RSA keys and
// any SPKI of another shape take node's DER path.
import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { childrenOf, type DerElement, readBitString, readOid, wholeElement } from "./der-reader.ts";
import { bitString, oid, sequence, TAG } from "./der-writer.ts";

const EC_PUBLIC_KEY = "1.2.840.10045.2.1";
const ED25519 = "1.3.101.112";

// RFC 5480 §2.1.1.1 named curves, with each curve's coordinate size in octets.
const curves = [
  { crv: "P-256", oid: "1.2.840.10045.3.1.7", size: 32 },
  { crv: "P-384", oid: "1.3.132.0.34", size: 48 },
  { crv: "P-521", oid: "1.3.132.0.35", size: 66 },
].map((curve) => ({ ...curve, algorithm: sequence([oid(EC_PUBLIC_KEY), oid(curve.oid)]) }));
const ED25519_ALGORITHM = sequence([oid(ED25519)]);

/** The subjectPublicKey bits: an uncompressed EC point (0x04 || X || Y) or the raw Ed25519 key. */
function jwkPoint(jwk: JsonWebKey): Buffer {
  const x = Buffer.from(jwk.x!, "base64url");
  return jwk.y === undefined ? x : Buffer.concat([Buffer.of(4), x, Buffer.from(jwk.y, "base64url")]);
}

/** The subjectPublicKey BIT STRING contents: PKCS#1 RSAPublicKey, EC point or Ed25519 key. */
export function subjectPublicKeyBits(publicKey: KeyObject): Uint8Array {
  if (publicKey.asymmetricKeyType === "rsa") return publicKey.export({ type: "pkcs1", format: "der" });
  return jwkPoint(publicKey.export({ format: "jwk" }));
}

/** The DER SubjectPublicKeyInfo of a public key, byte for byte what export({ type: "spki" }) writes. */
export function subjectPublicKeyInfo(publicKey: KeyObject): Uint8Array {
  if (publicKey.asymmetricKeyType === "ed25519") {
    return sequence([ED25519_ALGORITHM, bitString(subjectPublicKeyBits(publicKey))]);
  }
  if (publicKey.asymmetricKeyType === "ec") {
    const jwk = publicKey.export({ format: "jwk" });
    const curve = curves.find((c) => c.crv === jwk.crv);
    if (curve) return sequence([curve.algorithm, bitString(jwkPoint(jwk))]);
  }
  return publicKey.export({ type: "spki", format: "der" });
}

/** The JWK of an SPKI with a named-curve uncompressed point or an Ed25519 key, else undefined. */
function jwkOf(spki: Uint8Array): JsonWebKey | undefined {
  const [algorithm, key, ...rest] = childrenOf(wholeElement(spki, TAG.SEQUENCE));
  if (algorithm?.tag !== TAG.SEQUENCE || rest.length > 0) return undefined;
  const [type, parameters, ...more] = childrenOf(algorithm);
  const { bytes, unusedBits } = readBitString(key);
  if (unusedBits !== 0 || more.length > 0) return undefined;
  const typeOid = readOid(type);
  if (typeOid === ED25519 && parameters === undefined && bytes.length === 32) {
    return { kty: "OKP", crv: "Ed25519", x: Buffer.from(bytes).toString("base64url") };
  }
  const curve = typeOid === EC_PUBLIC_KEY ? curveOf(parameters) : undefined;
  if (curve === undefined || bytes.length !== 1 + 2 * curve.size || bytes[0] !== 4) return undefined;
  return {
    kty: "EC",
    crv: curve.crv,
    x: Buffer.from(bytes.subarray(1, 1 + curve.size)).toString("base64url"),
    y: Buffer.from(bytes.subarray(1 + curve.size)).toString("base64url"),
  };
}

function curveOf(parameters: DerElement | undefined) {
  const named = parameters?.tag === TAG.OID ? readOid(parameters) : undefined;
  return curves.find((c) => c.oid === named);
}

/**
 * The public key of a DER SubjectPublicKeyInfo; throws when node:crypto cannot read it (a point off
 * its curve, an unknown algorithm) or the DER is malformed.
 */
export function publicKeyFromSpki(spki: Uint8Array): KeyObject {
  const jwk = jwkOf(spki);
  return jwk
    ? createPublicKey({ key: jwk, format: "jwk" })
    : createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
}

// A PKCS#10 CertificationRequest (RFC 2986 §4) written as DER and signed with node:crypto, and read
// back in place, for the reason der-certificate-encoder.ts exists: the asn1js object model costs far
// more than the crypto.
import { createPublicKey, type KeyObject } from "node:crypto";
import {
  childrenOf,
  type DerElement,
  expectTag,
  MalformedDerError,
  readBitString,
  readOid,
  wholeElement,
} from "./der-reader.ts";
import { signatureAlgorithmIdentifier, signDer } from "./der-signature.ts";
import { bitString, contextConstructed, oid, sequence, set, TAG } from "./der-writer.ts";
import { subjectPublicKeyInfo } from "./public-key-info.ts";
import type { SignatureAlgorithm } from "./signature-algorithm.ts";
import { type RawExtension, readExtensions } from "./x509-extension-reader.ts";

export interface CsrToSign {
  /** DER Name. */
  readonly subject: Uint8Array;
  /** DER Extensions to request (PKCS#9 extensionRequest); none leaves the attributes empty. */
  readonly extensions: readonly Uint8Array[];
  readonly signatureAlgorithm: SignatureAlgorithm;
}

const VERSION_1 = Uint8Array.of(0x02, 0x01, 0x00);
const EXTENSION_REQUEST_OID = "1.2.840.113549.1.9.14";
const EXTENSION_REQUEST = oid(EXTENSION_REQUEST_OID);
// attributes [0] IMPLICIT SET OF Attribute
const ATTRIBUTES = 0xa0;

/** The DER CertificationRequest for `csr`, signed by (and carrying the public key of) `privateKey`. */
export function encodeCsr(csr: CsrToSign, privateKey: KeyObject): Uint8Array {
  const attributes =
    csr.extensions.length === 0 ? [] : [sequence([EXTENSION_REQUEST, set([sequence(csr.extensions)])])];
  const info = sequence([
    VERSION_1,
    csr.subject,
    subjectPublicKeyInfo(createPublicKey(privateKey)),
    contextConstructed(0, attributes),
  ]);
  return sequence([
    info,
    signatureAlgorithmIdentifier(csr.signatureAlgorithm),
    bitString(signDer(csr.signatureAlgorithm, info, privateKey)),
  ]);
}

/** A CertificationRequest's parts, each as written. */
export interface CsrParts {
  /** The CertificationRequestInfo, whole: what the signature covers. */
  readonly info: Uint8Array;
  /** DER Name. */
  readonly subject: Uint8Array;
  readonly subjectPublicKeyInfo: Uint8Array;
  /** The attributes' SET content, undefined when the request leaves the field out. */
  readonly attributes: DerElement | undefined;
  /** The signature AlgorithmIdentifier's OID. */
  readonly signatureAlgorithm: string;
  /** Its parameters, when it has any (RSASSA-PSS names its hash and salt there). */
  readonly signatureParameters: DerElement | undefined;
  readonly signature: Uint8Array;
}

/** The parts of the DER CertificationRequest `der`; throws MalformedDerError when it has not that shape. */
export function readCsr(der: Uint8Array): CsrParts {
  const [info, algorithm, signature, ...rest] = childrenOf(wholeElement(der, TAG.SEQUENCE));
  const infoElement = expectTag(info, TAG.SEQUENCE);
  const [version, subject, spki, attributes, ...more] = childrenOf(infoElement);
  if (rest.length > 0 || more.length > 0) throw new MalformedDerError("CSR has fields PKCS#10 does not");
  expectTag(version, TAG.INTEGER);
  const signatureBits = readBitString(expectTag(signature, TAG.BIT_STRING));
  if (signatureBits.unusedBits !== 0) throw new MalformedDerError("CSR signature is not whole octets");
  return {
    info: infoElement.der,
    subject: expectTag(subject, TAG.SEQUENCE).der,
    subjectPublicKeyInfo: expectTag(spki, TAG.SEQUENCE).der,
    attributes: attributes && expectTag(attributes, ATTRIBUTES),
    ...algorithmIdentifier(algorithm),
    signature: signatureBits.bytes,
  };
}

function algorithmIdentifier(element: DerElement | undefined) {
  const [identifier, parameters] = childrenOf(expectTag(element, TAG.SEQUENCE));
  return { signatureAlgorithm: readOid(identifier), signatureParameters: parameters };
}

/** The Extensions of the request's PKCS#9 extensionRequest attribute (RFC 2985 §5.4.2), if any. */
export function requestedExtensions(csr: CsrParts): RawExtension[] {
  for (const attribute of csr.attributes ? childrenOf(csr.attributes) : []) {
    const [type, values] = childrenOf(expectTag(attribute, TAG.SEQUENCE));
    if (type === undefined || readOid(type) !== EXTENSION_REQUEST_OID) continue;
    const [extensions] = childrenOf(expectTag(values, TAG.SET));
    if (extensions === undefined) throw new MalformedDerError("extensionRequest holds no value");
    return readExtensions(extensions);
  }
  return [];
}

import { childrenOf, wholeElement } from "../der-reader.ts";
import { TAG } from "../der-writer.ts";

/**
 * The part of a signed DER structure its signature covers, whole: a Certificate's TBSCertificate or
 * a CertificationRequest's info (the first element of the outer SEQUENCE).
 */
export function signedPart(der: Uint8Array): Uint8Array {
  const [first] = childrenOf(wholeElement(der, TAG.SEQUENCE));
  if (first === undefined) throw new Error("the DER SEQUENCE is empty");
  return first.der;
}

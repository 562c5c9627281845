// A CertificateEncoder that writes the TBSCertificate (RFC 5280 §4.1) as DER directly and signs it
// with node:crypto: the @peculiar/x509 path spends ~100x the crypto's time in the asn1js object
// model (issue 14), and certificates are built once and never edited, so no object model is needed.
import type { KeyObject } from "node:crypto";
import type { CertificateEncoder, CertificateToSign } from "./certificate-encoder.ts";
import { signatureAlgorithmIdentifier, signDer } from "./der-signature.ts";
import { bitString, contextConstructed, sequence, time, unsignedIntegerFromHex } from "./der-writer.ts";
import * as derExtensions from "./der-x509-extensions.ts";
import { extensionsInGoOrder } from "./go-extension-order.ts";
import { toPublicKey } from "./keys.ts";
import { subjectPublicKeyInfo } from "./public-key-info.ts";

// version [0] EXPLICIT INTEGER v3(2).
const VERSION_3 = Uint8Array.of(0xa0, 0x03, 0x02, 0x01, 0x02);

function tbsCertificate(c: CertificateToSign): Uint8Array {
  const t = c.template;
  return sequence([
    VERSION_3,
    unsignedIntegerFromHex(t.serialNumber),
    signatureAlgorithmIdentifier(c.signatureAlgorithm),
    c.issuer,
    sequence([time(t.notBefore, "notBefore"), time(t.notAfter, "notAfter")]),
    t.subject,
    subjectPublicKeyInfo(toPublicKey(t.publicKey)),
    contextConstructed(3, [sequence(extensionsInGoOrder(c, derExtensions))]),
  ]);
}

/** CertificateEncoder that writes DER itself and signs with node:crypto's sign(). */
export const derCertificateEncoder: CertificateEncoder = {
  async encode(c: CertificateToSign, signingKey: KeyObject): Promise<Uint8Array> {
    const tbs = tbsCertificate(c);
    return sequence([
      tbs,
      signatureAlgorithmIdentifier(c.signatureAlgorithm),
      bitString(signDer(c.signatureAlgorithm, tbs, signingKey)),
    ]);
  },
};

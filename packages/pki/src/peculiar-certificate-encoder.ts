import type { KeyObject } from "node:crypto";
import type { CertificateEncoder, CertificateToSign } from "./certificate-encoder.ts";
import { isEmptyName } from "./csr.ts";
import { toPublicKey } from "./keys.ts";
import { webCryptoSigner } from "./signature-algorithm.ts";
import { Extension, Name, X509CertificateGenerator, x509Crypto } from "./x509.ts";
import {
  authorityInfoAccessExtension,
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  crlDistributionPointsExtension,
  extKeyUsageExtension,
  hasSans,
  keyUsageExtension,
  OID,
  subjectAltNameExtension,
  subjectKeyIdentifierExtension,
} from "./x509-extensions.ts";

// Go's crypto/x509 extension order, so certificates look like the ones cert-manager issues.
function extensionsOf(c: CertificateToSign): Extension[] {
  const t = c.template;
  return [
    ...(t.keyUsage !== 0 ? [keyUsageExtension(t.keyUsage)] : []),
    ...(t.extKeyUsages.length > 0 ? [extKeyUsageExtension(t.extKeyUsages)] : []),
    basicConstraintsExtension(t.isCA),
    subjectKeyIdentifierExtension(c.subjectKeyId),
    authorityKeyIdentifierExtension(c.authorityKeyId),
    ...(c.ocspServers.length + c.issuingCertificateUrls.length > 0
      ? [authorityInfoAccessExtension(c.ocspServers, c.issuingCertificateUrls)]
      : []),
    ...(hasSans(t.sans) ? [subjectAltNameExtension(t.sans, isEmptyName(t.subject))] : []),
    ...(t.nameConstraints
      ? [new Extension(OID.nameConstraints, t.nameConstraints.critical, t.nameConstraints.value)]
      : []),
    ...(c.crlDistributionPoints.length > 0 ? [crlDistributionPointsExtension(c.crlDistributionPoints)] : []),
  ];
}

/** CertificateEncoder backed by @peculiar/x509, signing through node's WebCrypto. */
export const peculiarCertificateEncoder: CertificateEncoder = {
  async encode(c: CertificateToSign, signingKey: KeyObject): Promise<Uint8Array> {
    const signer = await webCryptoSigner(signingKey, c.signatureAlgorithm);
    const spki = toPublicKey(c.template.publicKey).export({ type: "spki", format: "der" });
    const certificate = await X509CertificateGenerator.create(
      {
        serialNumber: c.template.serialNumber,
        subject: new Name(c.template.subject),
        issuer: new Name(c.issuer),
        notBefore: c.template.notBefore,
        notAfter: c.template.notAfter,
        publicKey: spki,
        signingKey: signer.key,
        signingAlgorithm: signer.algorithm,
        extensions: extensionsOf(c),
      },
      x509Crypto,
    );
    return new Uint8Array(certificate.rawData);
  },
};

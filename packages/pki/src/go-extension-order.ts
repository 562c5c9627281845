// The extensions of a certificate in Go's crypto/x509 order, so that certificates look like the ones
// cert-manager issues; each CertificateEncoder supplies the builders for its own representation.
import type { CertificateToSign } from "./certificate-encoder.ts";
import { isEmptyName, type RequestedExtension } from "./csr.ts";
import { hasSans, type SubjectAltNames } from "./x509-extensions.ts";

export interface CertificateExtensionBuilders<E> {
  keyUsageExtension(bits: number): E;
  extKeyUsageExtension(oids: readonly string[]): E;
  basicConstraintsExtension(isCA: boolean): E;
  subjectKeyIdentifierExtension(keyId: Uint8Array): E;
  authorityKeyIdentifierExtension(keyId: Uint8Array): E;
  authorityInfoAccessExtension(ocspServers: readonly string[], issuerUrls: readonly string[]): E;
  subjectAltNameExtension(sans: SubjectAltNames, critical: boolean): E;
  requestedNameConstraintsExtension(requested: RequestedExtension): E;
  crlDistributionPointsExtension(urls: readonly string[]): E;
}

export function extensionsInGoOrder<E>(c: CertificateToSign, build: CertificateExtensionBuilders<E>): E[] {
  const t = c.template;
  return [
    ...(t.keyUsage !== 0 ? [build.keyUsageExtension(t.keyUsage)] : []),
    ...(t.extKeyUsages.length > 0 ? [build.extKeyUsageExtension(t.extKeyUsages)] : []),
    build.basicConstraintsExtension(t.isCA),
    build.subjectKeyIdentifierExtension(c.subjectKeyId),
    build.authorityKeyIdentifierExtension(c.authorityKeyId),
    ...(c.ocspServers.length + c.issuingCertificateUrls.length > 0
      ? [build.authorityInfoAccessExtension(c.ocspServers, c.issuingCertificateUrls)]
      : []),
    // RFC 5280 §4.2.1.6: with an empty subject the SAN extension carries the identity and is critical.
    ...(hasSans(t.sans) ? [build.subjectAltNameExtension(t.sans, isEmptyName(t.subject))] : []),
    ...(t.nameConstraints ? [build.requestedNameConstraintsExtension(t.nameConstraints)] : []),
    ...(c.crlDistributionPoints.length > 0
      ? [build.crlDistributionPointsExtension(c.crlDistributionPoints)]
      : []),
  ];
}

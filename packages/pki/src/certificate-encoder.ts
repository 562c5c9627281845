import type { KeyObject } from "node:crypto";
import type { CertificateTemplate } from "./certificate-template.ts";
import type { SignatureAlgorithm } from "./signature-algorithm.ts";

/** A fully decided certificate: nothing left to choose, only to encode and sign. */
export interface CertificateToSign {
  readonly template: CertificateTemplate;
  /** DER Name of the issuer (the template's own subject when self-signed). */
  readonly issuer: Uint8Array;
  readonly subjectKeyId: Uint8Array;
  readonly authorityKeyId: Uint8Array;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly crlDistributionPoints: readonly string[];
  readonly ocspServers: readonly string[];
  readonly issuingCertificateUrls: readonly string[];
}

/**
 * The one place that turns a decided certificate into signed DER. Everything else works on
 * templates, so a faster encoder can replace the default without touching other modules.
 */
export interface CertificateEncoder {
  encode(certificate: CertificateToSign, signingKey: KeyObject): Promise<Uint8Array>;
}

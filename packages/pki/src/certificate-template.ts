import type { KeyObject } from "node:crypto";
import { ValidationError } from "@certplane/domain";
import type { ParsedCsr, RequestedExtension } from "./csr.ts";
import { encodeUsages } from "./usages.ts";
import type { SubjectAltNames } from "./x509-extensions.ts";

/** Everything about the certificate that comes from the request; the issuer adds its name and keys. */
export interface CertificateTemplate {
  readonly serialNumber: string;
  /** DER Name copied from the CSR byte for byte (Go's RawSubject). */
  readonly subject: Uint8Array;
  readonly publicKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly sans: SubjectAltNames;
  readonly isCA: boolean;
  readonly keyUsage: number;
  readonly extKeyUsages: readonly string[];
  /** The CSR's NameConstraints, copied as cert-manager's CertificateTemplateFromCSR does. */
  readonly nameConstraints?: RequestedExtension;
}

export const DEFAULT_DURATION_MS = 90 * 24 * 3600 * 1000;

export interface TemplateParameters {
  /** CertificateRequest spec.duration in milliseconds; cert-manager's default is 90 days. */
  readonly duration?: number;
  readonly isCA?: boolean;
  readonly usages?: readonly string[];
  /** Supplied by the caller (the command's time); truncated to the second, as X.509 encodes it. */
  readonly notBefore: Date;
  readonly serialNumber: string;
}

/**
 * cert-manager's CertificateTemplateFromCertificateRequest: subject, SANs and key from the CSR;
 * duration, isCA and usages from the request, which must agree with any BasicConstraints, KeyUsage
 * or ExtKeyUsage extension the CSR carries.
 */
export function certificateTemplateFromCsr(csr: ParsedCsr, params: TemplateParameters): CertificateTemplate {
  const isCA = params.isCA ?? false;
  const usages = encodeUsages(params.usages ?? [], isCA);
  const issues = [
    ...(csr.isCA !== undefined && csr.isCA !== isCA
      ? [
          {
            field: "spec.request",
            rule: "isCAMismatch",
            message: `CSR isCA ${csr.isCA} does not match isCA ${isCA}`,
          },
        ]
      : []),
    ...(csr.keyUsage !== undefined && csr.keyUsage !== usages.keyUsage
      ? [
          {
            field: "spec.request",
            rule: "keyUsageMismatch",
            message: "CSR key usages do not match spec.usages",
          },
        ]
      : []),
    ...(csr.extKeyUsages !== undefined && csr.extKeyUsages.join() !== usages.extKeyUsages.join()
      ? [
          {
            field: "spec.request",
            rule: "extKeyUsageMismatch",
            message: "CSR extended key usages do not match spec.usages",
          },
        ]
      : []),
  ];
  if (issues.length > 0) throw new ValidationError(issues);
  const notBefore = new Date(Math.floor(params.notBefore.getTime() / 1000) * 1000);
  return {
    serialNumber: params.serialNumber,
    subject: csr.subject.der,
    publicKey: csr.publicKey,
    notBefore,
    notAfter: new Date(notBefore.getTime() + (params.duration ?? DEFAULT_DURATION_MS)),
    sans: csr.sans,
    isCA,
    keyUsage: usages.keyUsage,
    extKeyUsages: usages.extKeyUsages,
    ...(csr.nameConstraints === undefined ? {} : { nameConstraints: csr.nameConstraints }),
  };
}

import type { CertificateSpec, EffectiveCertificateSpec } from "@certplane/domain";
import { applyCertificateDefaults } from "@certplane/domain";
import type { ActiveCertificate } from "@certplane/domain/model";

/** The stored spec, which intake validated against the Certificate schema before applying it. */
export function certificateSpec(certificate: Pick<ActiveCertificate, "spec">): CertificateSpec {
  return certificate.spec as unknown as CertificateSpec;
}

export function effectiveSpec(certificate: Pick<ActiveCertificate, "spec">): EffectiveCertificateSpec {
  return applyCertificateDefaults(certificateSpec(certificate));
}

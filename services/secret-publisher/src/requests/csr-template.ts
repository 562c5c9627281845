import type { CertificateSpec, EffectiveCertificateSpec } from "@certplane/domain";
import { parseLiteralSubject } from "@certplane/domain";
import type { CsrTemplate, SubjectFields } from "@certplane/pki";
import { encodeLiteralSubject } from "@certplane/pki";

/**
 * spec.literalSubject as the exact DER Name: RDN order, multi-valued RDNs, UID and DC kept. An
 * unparsable one never gets here (validation refuses it); it would give an empty subject.
 */
function literalSubjectName(literal: string): Uint8Array {
  const reading = parseLiteralSubject(literal);
  return encodeLiteralSubject(reading.ok ? reading.rdns : []);
}

/** What cert-manager's request manager puts into the CSR for a Certificate, defaults applied. */
export function csrTemplateFor(spec: CertificateSpec, effective: EffectiveCertificateSpec): CsrTemplate {
  const subject: SubjectFields = {
    ...spec.subject,
    ...(spec.commonName === undefined ? {} : { commonName: spec.commonName }),
  };
  return {
    ...(spec.literalSubject === undefined
      ? { subject }
      : { rawSubject: literalSubjectName(spec.literalSubject) }),
    dnsNames: spec.dnsNames ?? [],
    ipAddresses: spec.ipAddresses ?? [],
    uris: spec.uris ?? [],
    emailAddresses: spec.emailAddresses ?? [],
    // Validation makes both fields of every entry non-empty.
    otherNames: (spec.otherNames ?? []).map(({ oid = "", utf8Value = "" }) => ({ oid, utf8Value })),
    isCA: effective.isCA,
    usages: effective.usages,
    encodeUsagesInRequest: effective.encodeUsagesInRequest,
    ...(spec.signatureAlgorithm === undefined ? {} : { signatureAlgorithm: spec.signatureAlgorithm }),
    ...(spec.nameConstraints === undefined ? {} : { nameConstraints: spec.nameConstraints }),
  };
}

import type { CertificateSpec, EffectiveCertificateSpec } from "@certplane/domain";
import { parseLiteralSubject } from "@certplane/domain";
import type { CsrTemplate, SubjectFields } from "@certplane/pki";

type MutableSubject = { -readonly [K in keyof SubjectFields]: SubjectFields[K] };

const literalListFields: Readonly<Record<string, keyof Omit<SubjectFields, "commonName" | "serialNumber">>> =
  {
    O: "organizations",
    OU: "organizationalUnits",
    C: "countries",
    L: "localities",
    ST: "provinces",
    STREET: "streetAddresses",
    POSTALCODE: "postalCodes",
  };

/**
 * spec.literalSubject as subject fields. The CSR encoder writes fields in Go's fixed order, so the
 * literal RDN order and attributes it cannot encode (UID, DC, dotted OIDs) are not kept.
 */
function literalSubjectFields(literal: string): SubjectFields {
  const reading = parseLiteralSubject(literal);
  if (!reading.ok) return {};
  const fields: MutableSubject = {};
  for (const { type, value } of reading.attributes) {
    if (type === "CN") fields.commonName = value;
    else if (type === "SERIALNUMBER") fields.serialNumber = value;
    else {
      const field = literalListFields[type];
      if (field) fields[field] = [...(fields[field] ?? []), value];
    }
  }
  return fields;
}

/** What cert-manager's request manager puts into the CSR for a Certificate, defaults applied. */
export function csrTemplateFor(spec: CertificateSpec, effective: EffectiveCertificateSpec): CsrTemplate {
  const subject: SubjectFields =
    spec.literalSubject !== undefined
      ? literalSubjectFields(spec.literalSubject)
      : { ...spec.subject, ...(spec.commonName === undefined ? {} : { commonName: spec.commonName }) };
  return {
    subject,
    dnsNames: spec.dnsNames ?? [],
    ipAddresses: spec.ipAddresses ?? [],
    uris: spec.uris ?? [],
    emailAddresses: spec.emailAddresses ?? [],
    isCA: effective.isCA,
    usages: effective.usages,
    encodeUsagesInRequest: effective.encodeUsagesInRequest,
    ...(spec.signatureAlgorithm === undefined ? {} : { signatureAlgorithm: spec.signatureAlgorithm }),
  };
}

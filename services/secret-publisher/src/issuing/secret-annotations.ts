import type { EffectiveCertificateSpec } from "@certplane/domain";
import type { CertificateView } from "@certplane/pki";

export const FAO_LABEL = "controller.cert-manager.io/fao";

const prefix = "cert-manager.io/";

/** Go's encoding/csv for one record: quote a field when it holds a comma, quote or line break. */
function csv(values: readonly string[]): string {
  return values
    .map((v) => (/[",\r\n]/.test(v) || v.startsWith(" ") ? `"${v.replaceAll('"', '""')}"` : v))
    .join(",");
}

/**
 * cert-manager's AnnotationsForCertificate plus the issuer and certificate names: derived from the
 * issued X.509, not the spec. Names and SANs are always present (possibly empty), the other subject
 * fields only when the certificate has them.
 */
export function certificateSecretAnnotations(
  certificateName: string,
  issuerRef: EffectiveCertificateSpec["issuerRef"],
  leaf: CertificateView,
): Record<string, string> {
  const subject = leaf.subject.fields;
  const optional: Record<string, readonly string[] | undefined> = {
    "subject-organizations": subject.organizations,
    "subject-organizationalunits": subject.organizationalUnits,
    "subject-countries": subject.countries,
    "subject-provinces": subject.provinces,
    "subject-localities": subject.localities,
    "subject-postalcodes": subject.postalCodes,
    "subject-streetaddresses": subject.streetAddresses,
    "subject-serialnumber": subject.serialNumber ? [subject.serialNumber] : undefined,
  };
  const annotations: Record<string, string> = {
    [`${prefix}certificate-name`]: certificateName,
    [`${prefix}issuer-name`]: issuerRef.name,
    [`${prefix}issuer-kind`]: issuerRef.kind,
    [`${prefix}issuer-group`]: issuerRef.group,
    [`${prefix}common-name`]: subject.commonName ?? "",
    [`${prefix}alt-names`]: leaf.sans.dnsNames.join(","),
    [`${prefix}ip-sans`]: leaf.sans.ipAddresses.join(","),
    [`${prefix}uri-sans`]: leaf.sans.uris.join(","),
  };
  if (leaf.sans.emailAddresses.length > 0)
    annotations[`${prefix}email-sans`] = leaf.sans.emailAddresses.join(",");
  // Subject values may contain commas, so cert-manager writes them as a CSV record.
  for (const [key, values] of Object.entries(optional)) {
    if (values && values.length > 0) annotations[`${prefix}${key}`] = csv(values);
  }
  return annotations;
}

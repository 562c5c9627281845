import { type Asn1, der } from "./asn1-der.ts";
import type { RequestedExtension } from "./csr.ts";
import {
  AuthorityInfoAccessExtension,
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  ExtendedKeyUsageExtension,
  Extension,
  GeneralNames,
  type JsonGeneralName,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
} from "./x509.ts";

// The extension OIDs and SAN types certplane uses, and one @peculiar/x509 builder per extension for
// peculiar-certificate-encoder.ts (der-x509-extensions.ts writes the same DER directly; the views
// read extensions through x509-extension-reader.ts).

export const OID = {
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  nameConstraints: "2.5.29.30",
  crlDistributionPoints: "2.5.29.31",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  authorityInfoAccess: "1.3.6.1.5.5.7.1.1",
} as const;

/** cert-manager's spec.otherNames entry: an otherName GeneralName whose value is a UTF8String. */
export interface OtherName {
  readonly oid: string;
  readonly utf8Value: string;
}

export interface SubjectAltNames {
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly uris: readonly string[];
  readonly emailAddresses: readonly string[];
  readonly otherNames?: readonly OtherName[];
}

export const NO_SANS: SubjectAltNames = { dnsNames: [], ipAddresses: [], uris: [], emailAddresses: [] };

export function hasSans(sans: SubjectAltNames): boolean {
  const count =
    sans.dnsNames.length + sans.ipAddresses.length + sans.uris.length + sans.emailAddresses.length;
  return count + (sans.otherNames?.length ?? 0) > 0;
}

export function subjectAltNameExtension(sans: SubjectAltNames, critical: boolean): Extension {
  // Go's x509 order: DNS, email, IP, URI.
  const names: JsonGeneralName[] = [
    ...sans.dnsNames.map((value) => ({ type: "dns" as const, value })),
    ...sans.emailAddresses.map((value) => ({ type: "email" as const, value })),
    ...sans.ipAddresses.map((value) => ({ type: "ip" as const, value })),
    ...sans.uris.map((value) => ({ type: "url" as const, value })),
  ];
  const otherNames = sans.otherNames ?? [];
  if (otherNames.length === 0) return new SubjectAlternativeNameExtension(names, critical);
  // @peculiar/x509 writes only the UPN and GUID otherNames; the rest follow the standard names as
  // cert-manager's MarshalSANs puts them: otherName ::= [0] { type-id, [0] EXPLICIT UTF8String }.
  const sequence = der.decode(new Uint8Array(new GeneralNames(names).rawData));
  (sequence.value as Asn1[]).push(
    ...otherNames.map(({ oid, utf8Value }) =>
      der.implicitSeq(0, [der.oid(oid), der.explicit0(der.utf8(utf8Value))]),
    ),
  );
  return new Extension(OID.subjectAltName, critical, der.encode(sequence));
}

export function keyUsageExtension(bits: number): Extension {
  // RFC 5280 §4.2.1.3: conforming CAs SHOULD mark key usage critical.
  return new KeyUsagesExtension(bits, true);
}

export function extKeyUsageExtension(oids: readonly string[]): Extension {
  return new ExtendedKeyUsageExtension([...oids], false);
}

export function basicConstraintsExtension(isCA: boolean): Extension {
  return new BasicConstraintsExtension(isCA, undefined, true);
}

export function subjectKeyIdentifierExtension(keyId: Uint8Array): Extension {
  return new SubjectKeyIdentifierExtension(Buffer.from(keyId).toString("hex"));
}

export function authorityKeyIdentifierExtension(keyId: Uint8Array): Extension {
  return new AuthorityKeyIdentifierExtension(Buffer.from(keyId).toString("hex"));
}

export function crlDistributionPointsExtension(urls: readonly string[]): Extension {
  return new CRLDistributionPointsExtension([...urls]);
}

/** A NameConstraints value copied from a CSR (or built by name-constraints.ts) as it is. */
export function requestedNameConstraintsExtension(requested: RequestedExtension): Extension {
  return new Extension(OID.nameConstraints, requested.critical, requested.value);
}

export function authorityInfoAccessExtension(
  ocsp: readonly string[],
  caIssuers: readonly string[],
): Extension {
  return new AuthorityInfoAccessExtension({ ocsp: [...ocsp], caIssuers: [...caIssuers] });
}

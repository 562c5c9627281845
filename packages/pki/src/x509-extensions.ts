import forge from "node-forge";
import { type Asn1, der } from "./asn1-der.ts";
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

// One builder/reader per extension, shared by the CSR builder, the certificate encoder and the views.

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

export function readSubjectAltNames(extensions: readonly Extension[]): SubjectAltNames {
  const ext = extensions.find((e) => e.type === OID.subjectAltName);
  if (!ext) return NO_SANS;
  // @peculiar/x509 refuses otherNames other than UPN and GUID, so those are read here and the rest
  // of the GeneralNames handed to it.
  const sequence = der.decode(new Uint8Array(ext.value));
  const items = sequence.value as Asn1[];
  const isOtherName = (item: Asn1) => item.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && item.type === 0;
  const otherNames = items.filter(isOtherName).flatMap(readOtherName);
  sequence.value = items.filter((item) => !isOtherName(item));
  const names = new GeneralNames(der.encode(sequence)).toJSON();
  const of = (type: string) => names.filter((n) => n.type === type).map((n) => n.value);
  return {
    dnsNames: of("dns"),
    ipAddresses: of("ip").map(canonicalIp),
    uris: of("url"),
    emailAddresses: of("email"),
    ...(otherNames.length === 0 ? {} : { otherNames }),
  };
}

/** An otherName whose value is a UTF8String; others (not what cert-manager writes) are left out. */
function readOtherName(item: Asn1): OtherName[] {
  const [typeId, wrapper] = item.value as Asn1[];
  const [value] = (wrapper?.value ?? []) as Asn1[];
  if (typeId === undefined || value?.type !== forge.asn1.Type.UTF8) return [];
  return [
    {
      oid: forge.asn1.derToOid(typeId.value as string),
      utf8Value: forge.util.decodeUtf8(value.value as string),
    },
  ];
}

/** Canonical text form (RFC 5952 for IPv6) so that IPs compare as strings. */
export function canonicalIp(ip: string): string {
  return ip.includes(":") ? new URL(`http://[${ip}]`).hostname.slice(1, -1) : ip;
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

export function authorityInfoAccessExtension(
  ocsp: readonly string[],
  caIssuers: readonly string[],
): Extension {
  return new AuthorityInfoAccessExtension({ ocsp: [...ocsp], caIssuers: [...caIssuers] });
}

/** Parsed values of the extensions certplane cares about; absent extensions are undefined. */
export interface KnownExtensions {
  readonly isCA: boolean | undefined;
  readonly keyUsage: number | undefined;
  readonly extKeyUsages: readonly string[] | undefined;
  readonly subjectKeyId: string | undefined;
  readonly authorityKeyId: string | undefined;
  readonly sans: SubjectAltNames;
}

export function readKnownExtensions(extensions: readonly Extension[]): KnownExtensions {
  const raw = (oid: string) => extensions.find((e) => e.type === oid)?.rawData;
  const bc = raw(OID.basicConstraints);
  const ku = raw(OID.keyUsage);
  const eku = raw(OID.extKeyUsage);
  const ski = raw(OID.subjectKeyIdentifier);
  const aki = raw(OID.authorityKeyIdentifier);
  return {
    isCA: bc ? new BasicConstraintsExtension(bc).ca : undefined,
    keyUsage: ku ? new KeyUsagesExtension(ku).usages : undefined,
    extKeyUsages: eku ? Array.from(new ExtendedKeyUsageExtension(eku).usages, String) : undefined,
    subjectKeyId: ski ? new SubjectKeyIdentifierExtension(ski).keyId : undefined,
    authorityKeyId: aki ? new AuthorityKeyIdentifierExtension(aki).keyId : undefined,
    sans: readSubjectAltNames(extensions),
  };
}

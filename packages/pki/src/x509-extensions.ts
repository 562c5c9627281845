import {
  AuthorityInfoAccessExtension,
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  ExtendedKeyUsageExtension,
  type Extension,
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
  crlDistributionPoints: "2.5.29.31",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  authorityInfoAccess: "1.3.6.1.5.5.7.1.1",
} as const;

export interface SubjectAltNames {
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly uris: readonly string[];
  readonly emailAddresses: readonly string[];
}

export const NO_SANS: SubjectAltNames = { dnsNames: [], ipAddresses: [], uris: [], emailAddresses: [] };

export function hasSans(sans: SubjectAltNames): boolean {
  return sans.dnsNames.length + sans.ipAddresses.length + sans.uris.length + sans.emailAddresses.length > 0;
}

export function subjectAltNameExtension(sans: SubjectAltNames, critical: boolean): Extension {
  // Go's x509 order: DNS, email, IP, URI.
  const names: JsonGeneralName[] = [
    ...sans.dnsNames.map((value) => ({ type: "dns" as const, value })),
    ...sans.emailAddresses.map((value) => ({ type: "email" as const, value })),
    ...sans.ipAddresses.map((value) => ({ type: "ip" as const, value })),
    ...sans.uris.map((value) => ({ type: "url" as const, value })),
  ];
  return new SubjectAlternativeNameExtension(names, critical);
}

export function readSubjectAltNames(extensions: readonly Extension[]): SubjectAltNames {
  const ext = extensions.find((e) => e.type === OID.subjectAltName);
  if (!ext) return NO_SANS;
  const names = new SubjectAlternativeNameExtension(ext.rawData).names.toJSON();
  const of = (type: string) => names.filter((n) => n.type === type).map((n) => n.value);
  return {
    dnsNames: of("dns"),
    ipAddresses: of("ip").map(canonicalIp),
    uris: of("url"),
    emailAddresses: of("email"),
  };
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

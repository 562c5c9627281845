import { EXT_KEY_USAGE_OID, KEY_USAGE_BIT, ValidationError } from "@certplane/domain";

/** The key usage strings a cert-manager Certificate or CertificateRequest may list (spec.usages). */
export type Usage =
  | "signing"
  | "digital signature"
  | "content commitment"
  | "key encipherment"
  | "key agreement"
  | "data encipherment"
  | "cert sign"
  | "crl sign"
  | "encipher only"
  | "decipher only"
  | "any"
  | "server auth"
  | "client auth"
  | "code signing"
  | "email protection"
  | "s/mime"
  | "ipsec end system"
  | "ipsec tunnel"
  | "ipsec user"
  | "timestamping"
  | "ocsp signing"
  | "microsoft sgc"
  | "netscape sgc";

export const DEFAULT_USAGES: readonly Usage[] = ["digital signature", "key encipherment"];

/** RFC 5280 §4.2.1.3 KeyUsage bits, numbered as @peculiar/x509's KeyUsageFlags (bit 0 = 1). */
export const KEY_USAGE_BITS = {
  digitalSignature: 1,
  contentCommitment: 2,
  keyEncipherment: 4,
  dataEncipherment: 8,
  keyAgreement: 16,
  keyCertSign: 32,
  cRLSign: 64,
  encipherOnly: 128,
  decipherOnly: 256,
} as const;

// The usage strings' bits and OIDs are admission's too (a CSR is compared with spec.usages there).
const keyUsageBit: Partial<Record<Usage, number>> = KEY_USAGE_BIT;
const extKeyUsageOid: Partial<Record<Usage, string>> = EXT_KEY_USAGE_OID;

export const ALL_USAGES = [...Object.keys(keyUsageBit), ...Object.keys(extKeyUsageOid)] as readonly Usage[];

export function isUsage(value: string): value is Usage {
  return value in keyUsageBit || value in extKeyUsageOid;
}

export interface EncodedUsages {
  /** OR of KEY_USAGE_BITS. */
  readonly keyUsage: number;
  /** ExtKeyUsage OIDs in request order, without duplicates. */
  readonly extKeyUsages: readonly string[];
}

/**
 * cert-manager's KeyUsagesForCertificateOrCertificateRequest: empty usages mean the defaults, isCA
 * adds cert sign, unknown strings are rejected.
 */
export function encodeUsages(usages: readonly string[], isCA: boolean, field = "spec.usages"): EncodedUsages {
  let keyUsage = isCA ? KEY_USAGE_BITS.keyCertSign : 0;
  const extKeyUsages: string[] = [];
  const unknown: string[] = [];
  for (const usage of usages.length === 0 ? DEFAULT_USAGES : usages) {
    if (!isUsage(usage)) unknown.push(usage);
    else if (keyUsageBit[usage] !== undefined) keyUsage |= keyUsageBit[usage];
    else if (!extKeyUsages.includes(extKeyUsageOid[usage]!)) extKeyUsages.push(extKeyUsageOid[usage]!);
  }
  if (unknown.length > 0) {
    throw ValidationError.of(field, "unknownUsage", `unknown key usages: ${unknown.join(", ")}`);
  }
  return { keyUsage, extKeyUsages };
}

const canonicalKeyUsages: readonly Usage[] = [
  "digital signature",
  "content commitment",
  "key encipherment",
  "data encipherment",
  "key agreement",
  "cert sign",
  "crl sign",
  "encipher only",
  "decipher only",
];
const canonicalExtKeyUsages = (Object.keys(extKeyUsageOid) as Usage[]).filter((u) => u !== "s/mime");

/** Inverse of encodeUsages for display: one canonical string per bit/OID; unknown OIDs are kept as-is. */
export function decodeUsages(keyUsage: number, extKeyUsages: readonly string[]): string[] {
  const fromBits = canonicalKeyUsages.filter((u) => (keyUsage & keyUsageBit[u]!) !== 0);
  const fromOids = extKeyUsages.map(
    (oid) => canonicalExtKeyUsages.find((u) => extKeyUsageOid[u] === oid) ?? oid,
  );
  return [...fromBits, ...fromOids];
}

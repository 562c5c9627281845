// How spec.usages become X.509 KeyUsage bits (RFC 5280 §4.2.1.3) and ExtKeyUsage OIDs (§4.2.1.12),
// as cert-manager's KeyUsagesForCertificateOrCertificateRequest builds them, and back for messages.
import type { KeyUsage } from "../resources/certificate.ts";
import { DEFAULT_KEY_USAGES } from "./certificate-defaults.ts";

/** Bit i of the KeyUsage BIT STRING is 1 << i, as Go's x509.KeyUsage numbers them. */
export const KEY_USAGE_BIT: Partial<Record<KeyUsage, number>> = {
  signing: 1 << 0,
  "digital signature": 1 << 0,
  "content commitment": 1 << 1,
  "key encipherment": 1 << 2,
  "key agreement": 1 << 4,
  "data encipherment": 1 << 3,
  "cert sign": 1 << 5,
  "crl sign": 1 << 6,
  "encipher only": 1 << 7,
  "decipher only": 1 << 8,
};

export const EXT_KEY_USAGE_OID: Partial<Record<KeyUsage, string>> = {
  any: "2.5.29.37.0",
  "server auth": "1.3.6.1.5.5.7.3.1",
  "client auth": "1.3.6.1.5.5.7.3.2",
  "code signing": "1.3.6.1.5.5.7.3.3",
  "email protection": "1.3.6.1.5.5.7.3.4",
  "s/mime": "1.3.6.1.5.5.7.3.4",
  "ipsec end system": "1.3.6.1.5.5.7.3.5",
  "ipsec tunnel": "1.3.6.1.5.5.7.3.6",
  "ipsec user": "1.3.6.1.5.5.7.3.7",
  timestamping: "1.3.6.1.5.5.7.3.8",
  "ocsp signing": "1.3.6.1.5.5.7.3.9",
  "microsoft sgc": "1.3.6.1.4.1.311.10.3.3",
  "netscape sgc": "2.16.840.1.113730.4.1",
};

export interface EncodedKeyUsages {
  /** OR of KEY_USAGE_BIT values. */
  readonly keyUsage: number;
  /** ExtKeyUsage OIDs in the order asked for, each once. */
  readonly extKeyUsages: readonly string[];
}

/** Empty usages mean the defaults; isCA adds cert sign. Unknown strings are usageUnknown's to report. */
export function encodeKeyUsages(usages: readonly string[], isCA: boolean): EncodedKeyUsages {
  let keyUsage = isCA ? (KEY_USAGE_BIT["cert sign"] ?? 0) : 0;
  const extKeyUsages: string[] = [];
  for (const usage of usages.length === 0 ? DEFAULT_KEY_USAGES : usages) {
    keyUsage |= KEY_USAGE_BIT[usage as KeyUsage] ?? 0;
    const oid = EXT_KEY_USAGE_OID[usage as KeyUsage];
    if (oid !== undefined && !extKeyUsages.includes(oid)) extKeyUsages.push(oid);
  }
  return { keyUsage, extKeyUsages };
}

/** One name per bit, in bit order as Go lists them (the synonyms signing and s/mime are never shown). */
export function keyUsageNames(keyUsage: number): string[] {
  return Object.entries(KEY_USAGE_BIT)
    .filter(([name, bit = 0]) => name !== "signing" && (keyUsage & bit) !== 0)
    .sort(([, a = 0], [, b = 0]) => a - b)
    .map(([name]) => name);
}

export function extKeyUsageNames(oids: readonly string[]): string[] {
  const names = Object.entries(EXT_KEY_USAGE_OID).filter(([name]) => name !== "s/mime");
  return oids.map((oid) => names.find(([, known]) => known === oid)?.[0] ?? oid);
}

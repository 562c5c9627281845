// What a PKCS#10 request asks for (RFC 2986 §4.1, extensionRequest of RFC 2985 §5.4.2): its
// subject's values, SANs and usage extensions, read from its DER so admission can compare them with
// the CertificateRequest's spec and refuse names no certificate may carry.
import { DER_TAG, type DerNode, derChildren, derOid, pemBlocks, readDer } from "./der.ts";

const OID = {
  extensionRequest: "1.2.840.113549.1.9.14",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
} as const;

/**
 * ExtKeyUsage OIDs Go's x509 knows besides those spec.usages can name; Go compares these and
 * drops the rest as UnknownExtKeyUsage, so certplane does the same.
 */
const GO_ONLY_EXT_KEY_USAGES = ["1.3.6.1.4.1.311.2.1.22", "1.3.6.1.4.1.311.61.1.1"];

/** A string the request names, with where it sits, for messages that must not echo it. */
export interface CsrName {
  /** "subject attribute 2", "DNS name 1" …: the position a user can find in `openssl req -text`. */
  readonly where: string;
  readonly value: string;
}

export interface CsrContents {
  /** Each is undefined when the CSR does not carry that extension. */
  readonly isCA: boolean | undefined;
  readonly keyUsage: number | undefined;
  readonly extKeyUsages: readonly string[] | undefined;
  /** Every string attribute of the subject, in order. */
  readonly subjectValues: readonly CsrName[];
  /** DNS names, emails and URIs; IP addresses and other kinds count but hold no text to check. */
  readonly subjectAltNames: readonly CsrName[];
  readonly subjectAltNameCount: number;
}

const childrenOf = (node: DerNode | undefined, tag: number) =>
  node?.tag === tag ? derChildren(node) : undefined;

function readBasicConstraints(value: DerNode): boolean | undefined {
  const [first] = childrenOf(value, DER_TAG.sequence) ?? [];
  return first?.tag === DER_TAG.boolean && first.content[0] !== 0x00;
}

/** BIT STRING: the first octet counts the unused bits, then bit i is the i-th from the left. */
function readKeyUsage(value: DerNode): number | undefined {
  if (value.tag !== DER_TAG.bitString) return undefined;
  let usage = 0;
  for (let i = 0; i < 9; i++) {
    const octet = value.content[1 + (i >> 3)] ?? 0;
    if ((octet >> (7 - (i & 7))) & 1) usage |= 1 << i;
  }
  return usage;
}

// The X.520 string types a Name's attribute values use (X.690 universal tags).
const TEXT_DECODERS = new Map<number, (bytes: Uint8Array) => string>([
  [0x0c, (bytes) => new TextDecoder().decode(bytes)], // UTF8String
  [0x13, latin1], // PrintableString
  [0x14, latin1], // TeletexString: read byte for byte, which is what a control byte is either way
  [0x16, latin1], // IA5String
  [0x1a, latin1], // VisibleString
  [0x1e, (bytes) => new TextDecoder("utf-16be").decode(bytes)], // BMPString
  [0x1c, utf32be], // UniversalString
]);

function latin1(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => String.fromCharCode(byte)).join("");
}

function utf32be(bytes: Uint8Array): string {
  const points: number[] = [];
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const point =
      (((bytes[i] ?? 0) << 24) |
        ((bytes[i + 1] ?? 0) << 16) |
        ((bytes[i + 2] ?? 0) << 8) |
        (bytes[i + 3] ?? 0)) >>>
      0;
    points.push(point > 0x10ffff ? 0xfffd : point);
  }
  return String.fromCodePoint(...points);
}

function readSubjectValues(subject: DerNode): CsrName[] {
  const attributes = (childrenOf(subject, DER_TAG.sequence) ?? []).flatMap(
    (rdn) => childrenOf(rdn, DER_TAG.set) ?? [],
  );
  return attributes.flatMap((attribute, i) => {
    const value = childrenOf(attribute, DER_TAG.sequence)?.[1];
    const decode = value === undefined ? undefined : TEXT_DECODERS.get(value.tag);
    return value === undefined || decode === undefined
      ? []
      : [{ where: `subject attribute ${i + 1}`, value: decode(value.content) }];
  });
}

// GeneralName's context tags (RFC 5280 §4.2.1.6) for the kinds that hold text.
const GENERAL_NAME_TEXT = new Map<number, string>([
  [0x81, "email address"],
  [0x82, "DNS name"],
  [0x86, "URI"],
]);

function readSubjectAltNames(value: DerNode): { names: CsrName[]; count: number } {
  const generalNames = childrenOf(value, DER_TAG.sequence) ?? [];
  const names = generalNames.flatMap((name, i): CsrName[] => {
    const kind = GENERAL_NAME_TEXT.get(name.tag);
    return kind === undefined ? [] : [{ where: `${kind} (SAN ${i + 1})`, value: latin1(name.content) }];
  });
  return { names, count: generalNames.length };
}

function readExtKeyUsages(value: DerNode, known: ReadonlySet<string>): string[] | undefined {
  const oids = childrenOf(value, DER_TAG.sequence)?.map(derOid);
  return oids?.filter((oid): oid is string => oid !== undefined && known.has(oid));
}

/**
 * What the first CSR in `pem` asks for, or undefined when the DER does not have PKCS#10's shape.
 * `knownExtKeyUsages` are the OIDs spec.usages can name.
 */
export function readCsrContents(pem: string, knownExtKeyUsages: Iterable<string>): CsrContents | undefined {
  const [der] = pemBlocks(pem, "(?:NEW )?CERTIFICATE REQUEST");
  const request = der === undefined ? undefined : readDer(der);
  const [info] = childrenOf(request, DER_TAG.sequence) ?? [];
  const infoParts = childrenOf(info, DER_TAG.sequence);
  if (infoParts === undefined || infoParts.length < 3) return undefined;
  const attributes = infoParts[3] === undefined ? [] : childrenOf(infoParts[3], DER_TAG.context0);
  if (attributes === undefined) return undefined;
  const extensions = attributes
    .map((attribute) => childrenOf(attribute, DER_TAG.sequence))
    .filter((parts) => parts?.[0] !== undefined && derOid(parts[0]) === OID.extensionRequest)
    .flatMap((parts) => childrenOf(parts?.[1], DER_TAG.set) ?? [])
    .flatMap((set) => childrenOf(set, DER_TAG.sequence) ?? []);
  const values = new Map<string, DerNode>();
  for (const extension of extensions) {
    const parts = derChildren(extension) ?? [];
    const oid = parts[0] && derOid(parts[0]);
    const octets = parts.at(-1);
    const value = octets?.tag === DER_TAG.octetString ? readDer(octets.content) : undefined;
    if (oid !== undefined && value !== undefined) values.set(oid, value);
  }
  const known = new Set([...knownExtKeyUsages, ...GO_ONLY_EXT_KEY_USAGES]);
  const read = <T>(oid: string, reader: (value: DerNode) => T) => {
    const value = values.get(oid);
    return value === undefined ? undefined : reader(value);
  };
  const sans = read(OID.subjectAltName, readSubjectAltNames);
  return {
    isCA: read(OID.basicConstraints, readBasicConstraints),
    keyUsage: read(OID.keyUsage, readKeyUsage),
    extKeyUsages: read(OID.extKeyUsage, (value) => readExtKeyUsages(value, known)),
    subjectValues: infoParts[1] === undefined ? [] : readSubjectValues(infoParts[1]),
    subjectAltNames: sans?.names ?? [],
    subjectAltNameCount: sans?.count ?? 0,
  };
}

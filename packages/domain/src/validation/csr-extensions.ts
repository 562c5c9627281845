// The extensions a PKCS#10 request asks for (RFC 2986 §4.1, extensionRequest of RFC 2985 §5.4.2),
// read from its DER so admission can compare them with the CertificateRequest's spec.
import { DER_TAG, type DerNode, derChildren, derOid, pemBlocks, readDer } from "./der.ts";

const OID = {
  extensionRequest: "1.2.840.113549.1.9.14",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
} as const;

/**
 * ExtKeyUsage OIDs Go's x509 knows besides those spec.usages can name; Go compares these and
 * drops the rest as UnknownExtKeyUsage, so certplane does the same.
 */
const GO_ONLY_EXT_KEY_USAGES = ["1.3.6.1.4.1.311.2.1.22", "1.3.6.1.4.1.311.61.1.1"];

export interface CsrExtensions {
  /** Each is undefined when the CSR does not carry that extension. */
  readonly isCA: boolean | undefined;
  readonly keyUsage: number | undefined;
  readonly extKeyUsages: readonly string[] | undefined;
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

function readExtKeyUsages(value: DerNode, known: ReadonlySet<string>): string[] | undefined {
  const oids = childrenOf(value, DER_TAG.sequence)?.map(derOid);
  return oids?.filter((oid): oid is string => oid !== undefined && known.has(oid));
}

/**
 * The requested BasicConstraints/KeyUsage/ExtKeyUsage of the first CSR in `pem`, or undefined when
 * the DER does not have PKCS#10's shape. `knownExtKeyUsages` are the OIDs spec.usages can name.
 */
export function readCsrExtensions(
  pem: string,
  knownExtKeyUsages: Iterable<string>,
): CsrExtensions | undefined {
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
  return {
    isCA: read(OID.basicConstraints, readBasicConstraints),
    keyUsage: read(OID.keyUsage, readKeyUsage),
    extKeyUsages: read(OID.extKeyUsage, (value) => readExtKeyUsages(value, known)),
  };
}

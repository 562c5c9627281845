// cert-manager's spec.nameConstraints as the X.509 NameConstraints extension (RFC 5280 §4.2.1.10),
// the way its MarshalNameConstraints writes it into the CSR: permitted then excluded subtrees, each
// with DNS domains, IP ranges, email addresses and URI domains in that order.
import { isIP } from "node:net";
import { ValidationError } from "@certplane/domain";
import { type Asn1, der } from "./asn1-der.ts";
import { Extension } from "./x509.ts";
import { OID } from "./x509-extensions.ts";

export interface NameConstraintItems {
  readonly dnsDomains?: readonly string[];
  /** CIDR ranges, e.g. 10.0.0.0/8 or fd00::/8. */
  readonly ipRanges?: readonly string[];
  readonly emailAddresses?: readonly string[];
  readonly uriDomains?: readonly string[];
}

export interface NameConstraintsSpec {
  readonly critical?: boolean;
  readonly permitted?: NameConstraintItems;
  readonly excluded?: NameConstraintItems;
}

// GeneralName choices (RFC 5280 §4.2.1.6), all IMPLICIT.
const RFC822_NAME = 1;
const DNS_NAME = 2;
const URI = 6;
const IP_ADDRESS = 7;

export function nameConstraintsExtension(spec: NameConstraintsSpec): Extension {
  const subtrees = (tag: number, items: NameConstraintItems | undefined): Asn1[] => {
    if (items === undefined) return [];
    const ascii = (text: string) => new Uint8Array(Buffer.from(text, "ascii"));
    const names = [
      ...(items.dnsDomains ?? []).map((domain) => der.implicit(DNS_NAME, ascii(domain))),
      ...(items.ipRanges ?? []).map((range) => der.implicit(IP_ADDRESS, cidrBytes(range))),
      ...(items.emailAddresses ?? []).map((email) => der.implicit(RFC822_NAME, ascii(email))),
      ...(items.uriDomains ?? []).map((domain) => der.implicit(URI, ascii(domain))),
    ];
    // GeneralSubtree ::= SEQUENCE { base, minimum DEFAULT 0, maximum OPTIONAL }: the defaults are omitted.
    return names.length === 0
      ? []
      : [
          der.implicitSeq(
            tag,
            names.map((name) => der.seq([name])),
          ),
        ];
  };
  const value = der.encode(der.seq([...subtrees(0, spec.permitted), ...subtrees(1, spec.excluded)]));
  return new Extension(OID.nameConstraints, spec.critical ?? false, value);
}

/** An IP range as NameConstraints holds it: the address, then the mask (4 + 4 or 16 + 16 bytes). */
function cidrBytes(range: string): Uint8Array {
  const [address = "", bitsText = ""] = range.split("/");
  const version = isIP(address);
  const size = version === 4 ? 4 : 16;
  const bits = Number(bitsText);
  if (version === 0 || !/^\d+$/.test(bitsText) || bits > size * 8) {
    throw ValidationError.of("spec.nameConstraints", "cidr", `IP range ${range} is not a CIDR`);
  }
  const mask = Uint8Array.from({ length: size }, (_, i) => {
    const left = Math.min(Math.max(bits - i * 8, 0), 8);
    return (0xff << (8 - left)) & 0xff;
  });
  return new Uint8Array([...addressBytes(address, version === 4 ? 4 : 6), ...mask]);
}

function addressBytes(address: string, version: 4 | 6): number[] {
  if (version === 4) return address.split(".").map(Number);
  // Expand "::" to the zero groups it stands for, then write eight 16-bit groups.
  const [head = "", tail] = address.split("::");
  const groups = (text: string) => (text === "" ? [] : text.split(":"));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return all.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

// cert-manager's spec.nameConstraints as the X.509 NameConstraints extension (RFC 5280 §4.2.1.10),
// the way its MarshalNameConstraints writes it into the CSR: permitted then excluded subtrees, each
// with DNS domains, IP ranges, email addresses and URI domains in that order.
import { ValidationError } from "@certplane/domain";
import { type Asn1, der } from "./asn1-der.ts";
import { ipAddressBytes } from "./ip-address.ts";
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
  const bytes = ipAddressBytes(address);
  const bits = Number(bitsText);
  if (bytes === undefined || !/^\d+$/.test(bitsText) || bits > bytes.length * 8) {
    throw ValidationError.of("spec.nameConstraints", "cidr", `IP range ${range} is not a CIDR`);
  }
  const mask = bytes.map((_, i) => {
    const left = Math.min(Math.max(bits - i * 8, 0), 8);
    return (0xff << (8 - left)) & 0xff;
  });
  return new Uint8Array([...bytes, ...mask]);
}

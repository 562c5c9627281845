import { ValidationError } from "@certplane/domain";
import { Name } from "./x509.ts";

/** cert-manager's subject fields (spec.commonName + spec.subject). */
export interface SubjectFields {
  readonly commonName?: string;
  readonly organizations?: readonly string[];
  readonly organizationalUnits?: readonly string[];
  readonly countries?: readonly string[];
  readonly localities?: readonly string[];
  readonly provinces?: readonly string[];
  readonly streetAddresses?: readonly string[];
  readonly postalCodes?: readonly string[];
  readonly serialNumber?: string;
}

export interface DistinguishedName {
  /** RFC 4514 string (most significant RDN last, as Go's pkix.Name.String prints it). */
  readonly dn: string;
  readonly fields: SubjectFields;
  readonly der: Uint8Array;
}

type ListField = Exclude<keyof SubjectFields, "commonName" | "serialNumber">;
type Attribute = { readonly oid: string; readonly label: string } & (
  | { readonly field: ListField; readonly single?: false }
  | { readonly field: "commonName" | "serialNumber"; readonly single: true }
);

// Go's pkix.Name.ToRDNSequence order, which is what cert-manager-issued CSRs carry.
const attributes: readonly Attribute[] = [
  { oid: "2.5.4.6", label: "C", field: "countries" },
  { oid: "2.5.4.8", label: "ST", field: "provinces" },
  { oid: "2.5.4.7", label: "L", field: "localities" },
  { oid: "2.5.4.9", label: "STREET", field: "streetAddresses" },
  { oid: "2.5.4.17", label: "POSTALCODE", field: "postalCodes" },
  { oid: "2.5.4.10", label: "O", field: "organizations" },
  { oid: "2.5.4.11", label: "OU", field: "organizationalUnits" },
  { oid: "2.5.4.3", label: "CN", field: "commonName", single: true },
  { oid: "2.5.4.5", label: "SERIALNUMBER", field: "serialNumber", single: true },
];
const byOid = new Map(attributes.map((a) => [a.oid, a]));

function valuesOf(fields: SubjectFields, attribute: Attribute): readonly string[] {
  const value = fields[attribute.field];
  if (value === undefined || value === "") return [];
  return typeof value === "string" ? [value] : value;
}

/** DER Name with one RDN per value. */
export function encodeName(fields: SubjectFields): Uint8Array {
  const rdns = attributes.flatMap((a) => valuesOf(fields, a).map((v) => ({ [a.oid]: [v] })));
  return new Uint8Array(new Name(rdns).toArrayBuffer());
}

/** One attribute of spec.literalSubject: a short name cert-manager knows, or a dotted OID. */
export interface LiteralAttribute {
  readonly type: string;
  readonly value: string;
}

// cert-manager's attributeTypeNames (pkg/util/pki/subject.go).
const literalTypes: Readonly<Record<string, string>> = {
  CN: "2.5.4.3",
  SERIALNUMBER: "2.5.4.5",
  C: "2.5.4.6",
  L: "2.5.4.7",
  ST: "2.5.4.8",
  STREET: "2.5.4.9",
  O: "2.5.4.10",
  OU: "2.5.4.11",
  POSTALCODE: "2.5.4.17",
  UID: "0.9.2342.19200300.100.1.1",
  DC: "0.9.2342.19200300.100.1.25",
};

/**
 * spec.literalSubject's RDNs (in the string's order) as the DER Name cert-manager's
 * UnmarshalSubjectStringToRDNSequence makes: RFC 4514 writes the most significant RDN last, so the
 * string's last RDN is the sequence's first; a multi-valued RDN keeps its attributes together.
 */
export function encodeLiteralSubject(rdns: readonly (readonly LiteralAttribute[])[]): Uint8Array {
  const sequence = [...rdns].reverse().map((rdn) => {
    const set: Record<string, string[]> = {};
    for (const { type, value } of rdn) {
      if (value.startsWith("#")) {
        throw ValidationError.of(
          "spec.literalSubject",
          "hexValue",
          `attribute ${type}: hex-encoded (#…) values are not supported; write the value as text`,
        );
      }
      const oid = literalTypes[type.toUpperCase()] ?? type;
      set[oid] = [...(set[oid] ?? []), value];
    }
    return set;
  });
  return new Uint8Array(new Name(sequence).toArrayBuffer());
}

export function decodeName(der: Uint8Array | ArrayBuffer): DistinguishedName {
  const rdns = new Name(der).toJSON();
  const fields: Record<string, string | string[]> = {};
  const printed: string[] = [];
  for (const rdn of rdns) {
    const parts: string[] = [];
    for (const [type, values] of Object.entries(rdn)) {
      const oid = nameOid(type);
      const attribute = byOid.get(oid);
      for (const value of values) {
        parts.push(`${attribute?.label ?? oid}=${escapeRfc4514(value)}`);
        if (attribute?.single) fields[attribute.field] = value;
        else if (attribute)
          fields[attribute.field] = [...((fields[attribute.field] as string[]) ?? []), value];
      }
    }
    printed.unshift(parts.join("+"));
  }
  return { dn: printed.join(","), fields: fields as SubjectFields, der: new Uint8Array(der) };
}

const shortNames: Readonly<Record<string, string>> = {
  CN: "2.5.4.3",
  L: "2.5.4.7",
  ST: "2.5.4.8",
  O: "2.5.4.10",
  OU: "2.5.4.11",
  C: "2.5.4.6",
  DC: "0.9.2342.19200300.100.1.25",
  E: "1.2.840.113549.1.9.1",
  G: "2.5.4.42",
  I: "2.5.4.43",
  SN: "2.5.4.4",
  T: "2.5.4.12",
};

/** @peculiar/x509 prints the attributes it knows by short name and the rest by OID. */
function nameOid(type: string): string {
  return shortNames[type] ?? type;
}

function escapeRfc4514(value: string): string {
  return value
    .replace(/["+,;<>\\]/g, "\\$&")
    .replace(/^[ #]/, "\\$&")
    .replace(/ $/, "\\ ")
    .replace(/\0/g, "\\00");
}

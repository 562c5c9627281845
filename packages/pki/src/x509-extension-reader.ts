// The extensions certplane reads back, from a CSR's extensionRequest or a certificate, read from
// their DER values in place (see der-reader.ts for why not through @peculiar/x509). Values come out
// as @peculiar/x509 gave them before, which the CSR known-answer tests hold.
import {
  childrenOf,
  type DerElement,
  expectTag,
  MalformedDerError,
  readBitString,
  readBoolean,
  readOid,
  wholeElement,
} from "./der-reader.ts";
import { TAG } from "./der-writer.ts";
import { ipAddressText } from "./ip-address.ts";
import { NO_SANS, OID, type OtherName, type SubjectAltNames } from "./x509-extensions.ts";

/** One Extension as written: the value is extnValue's content, the DER of the extension's own type. */
export interface RawExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
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

/** Extensions ::= SEQUENCE OF Extension { extnID, critical BOOLEAN DEFAULT FALSE, extnValue }. */
export function readExtensions(extensions: DerElement): RawExtension[] {
  return childrenOf(expectTag(extensions, TAG.SEQUENCE)).map((extension) => {
    const parts = childrenOf(expectTag(extension, TAG.SEQUENCE));
    if (parts.length !== 2 && parts.length !== 3) throw new MalformedDerError("Extension has no value");
    return {
      oid: readOid(parts[0]),
      critical: parts.length === 3 && readBoolean(parts[1]),
      value: expectTag(parts[parts.length - 1], TAG.OCTET_STRING).content,
    };
  });
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
// IA5String is ASCII; bytes past it are read one character each, as asn1js did.
const ia5 = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");
const utf8 = new TextDecoder("utf-8", { fatal: true });

// GeneralName choices (RFC 5280 §4.2.1.6) as their identifier octets.
const OTHER_NAME = 0xa0;
const RFC822_NAME = 0x81;
const DNS_NAME = 0x82;
const URI = 0x86;
const IP_ADDRESS = 0x87;

/** An otherName whose value is a UTF8String; others (not what cert-manager writes) are left out. */
function readOtherName(name: DerElement): OtherName[] {
  const [typeId, wrapper] = childrenOf(name);
  const [value] = wrapper?.tag === 0xa0 ? childrenOf(wrapper) : [];
  if (typeId === undefined || value?.tag !== TAG.UTF8_STRING) return [];
  return [{ oid: readOid(typeId), utf8Value: utf8.decode(value.content) }];
}

function readSubjectAltNames(value: Uint8Array): SubjectAltNames {
  const sans = {
    dnsNames: [] as string[],
    ipAddresses: [] as string[],
    uris: [] as string[],
    emailAddresses: [] as string[],
    otherNames: [] as OtherName[],
  };
  for (const name of childrenOf(wholeElement(value, TAG.SEQUENCE))) {
    if (name.tag === DNS_NAME) sans.dnsNames.push(ia5(name.content));
    else if (name.tag === RFC822_NAME) sans.emailAddresses.push(ia5(name.content));
    else if (name.tag === URI) sans.uris.push(ia5(name.content));
    else if (name.tag === OTHER_NAME) sans.otherNames.push(...readOtherName(name));
    else if (name.tag === IP_ADDRESS) {
      const ip = ipAddressText(name.content);
      if (ip === undefined) throw new MalformedDerError("an iPAddress SAN is neither 4 nor 16 octets");
      sans.ipAddresses.push(ip);
    }
  }
  const { otherNames, ...standard } = sans;
  return otherNames.length === 0 ? standard : sans;
}

/** KeyUsage: named bit i (from the left of the first octet) is bit i of the number. */
function readKeyUsage(value: Uint8Array): number {
  const { bytes, unusedBits } = readBitString(wholeElement(value, TAG.BIT_STRING));
  let usage = 0;
  for (let bit = 0; bit < bytes.length * 8 - unusedBits; bit++) {
    if ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1) usage += 2 ** bit;
  }
  return usage;
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }. */
function readIsCA(value: Uint8Array): boolean {
  const [first] = childrenOf(wholeElement(value, TAG.SEQUENCE));
  return first?.tag === TAG.BOOLEAN && readBoolean(first);
}

/** AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, … }. */
function readAuthorityKeyId(value: Uint8Array): string | undefined {
  const keyId = childrenOf(wholeElement(value, TAG.SEQUENCE)).find((part) => part.tag === 0x80);
  return keyId && hex(keyId.content);
}

export function readKnownExtensions(extensions: readonly RawExtension[]): KnownExtensions {
  const read = <T>(oid: string, reader: (value: Uint8Array) => T): T | undefined => {
    const extension = extensions.find((e) => e.oid === oid);
    return extension && reader(extension.value);
  };
  return {
    isCA: read(OID.basicConstraints, readIsCA),
    keyUsage: read(OID.keyUsage, readKeyUsage),
    extKeyUsages: read(OID.extKeyUsage, (value) =>
      childrenOf(wholeElement(value, TAG.SEQUENCE)).map(readOid),
    ),
    subjectKeyId: read(OID.subjectKeyIdentifier, (value) =>
      hex(wholeElement(value, TAG.OCTET_STRING).content),
    ),
    authorityKeyId: read(OID.authorityKeyIdentifier, readAuthorityKeyId),
    sans: read(OID.subjectAltName, readSubjectAltNames) ?? NO_SANS,
  };
}

// The certificate and CSR extensions certplane writes, as DER the way x509-extensions.ts builds them
// through @peculiar/x509 (the known-answer tests hold the two byte for byte equal).
import { ValidationError } from "@certplane/domain";
import type { RequestedExtension } from "./csr.ts";
import {
  contextConstructed,
  contextPrimitive,
  ia5Bytes,
  namedBitString,
  octetString,
  oid,
  sequence,
  TRUE,
  utf8String,
} from "./der-writer.ts";
import { ipAddressBytes } from "./ip-address.ts";
import { OID, type SubjectAltNames } from "./x509-extensions.ts";

const EXTENSION_ID = {
  subjectKeyIdentifier: oid(OID.subjectKeyIdentifier),
  keyUsage: oid(OID.keyUsage),
  subjectAltName: oid(OID.subjectAltName),
  basicConstraints: oid(OID.basicConstraints),
  nameConstraints: oid(OID.nameConstraints),
  crlDistributionPoints: oid(OID.crlDistributionPoints),
  authorityKeyIdentifier: oid(OID.authorityKeyIdentifier),
  extKeyUsage: oid(OID.extKeyUsage),
  authorityInfoAccess: oid(OID.authorityInfoAccess),
} as const;

// RFC 5280 §4.2.2.1 access methods.
const ID_AD_OCSP = oid("1.3.6.1.5.5.7.48.1");
const ID_AD_CA_ISSUERS = oid("1.3.6.1.5.5.7.48.2");

// GeneralName choices (RFC 5280 §4.2.1.6), all IMPLICIT.
const OTHER_NAME = 0;
const RFC822_NAME = 1;
const DNS_NAME = 2;
const URI = 6;
const IP_ADDRESS = 7;

// BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, ... }: DER leaves the default out.
const BASIC_CONSTRAINTS_CA = sequence([TRUE]);
const BASIC_CONSTRAINTS_END_ENTITY = sequence([]);

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. */
function extension(id: Uint8Array, critical: boolean, value: Uint8Array): Uint8Array {
  return sequence(critical ? [id, TRUE, octetString(value)] : [id, octetString(value)]);
}

const uriName = (uri: string, field: string) => contextPrimitive(URI, ia5Bytes(uri, field));

function subjectAltNames(sans: SubjectAltNames): Uint8Array {
  // Go's x509 order (DNS, email, IP, URI), then otherNames as cert-manager's MarshalSANs appends
  // them: otherName ::= [0] { type-id OID, value [0] EXPLICIT UTF8String }.
  return sequence([
    ...sans.dnsNames.map((dns) => contextPrimitive(DNS_NAME, ia5Bytes(dns, "sans.dnsNames"))),
    ...sans.emailAddresses.map((email) =>
      contextPrimitive(RFC822_NAME, ia5Bytes(email, "sans.emailAddresses")),
    ),
    ...sans.ipAddresses.map(ipAddressName),
    ...sans.uris.map((uri) => uriName(uri, "sans.uris")),
    ...(sans.otherNames ?? []).map(({ oid: typeId, utf8Value }) =>
      contextConstructed(OTHER_NAME, [oid(typeId), contextConstructed(0, [utf8String(utf8Value)])]),
    ),
  ]);
}

function ipAddressName(ip: string): Uint8Array {
  const bytes = ipAddressBytes(ip);
  if (bytes === undefined) throw ValidationError.of("sans.ipAddresses", "ip", `${ip} is not an IP address`);
  return contextPrimitive(IP_ADDRESS, bytes);
}

export function authorityInfoAccessExtension(
  ocspServers: readonly string[],
  issuerUrls: readonly string[],
): Uint8Array {
  // @peculiar/x509 and Go both list the OCSP responders before the CA issuer URLs.
  const value = sequence([
    ...ocspServers.map((url) => sequence([ID_AD_OCSP, uriName(url, "ocspServers")])),
    ...issuerUrls.map((url) => sequence([ID_AD_CA_ISSUERS, uriName(url, "issuingCertificateUrls")])),
  ]);
  return extension(EXTENSION_ID.authorityInfoAccess, false, value);
}

export function crlDistributionPointsExtension(urls: readonly string[]): Uint8Array {
  // One DistributionPoint per URL: distributionPoint [0] (a CHOICE, so explicit) holding
  // fullName [0] IMPLICIT GeneralNames.
  const value = sequence(
    urls.map((url) =>
      sequence([contextConstructed(0, [contextConstructed(0, [uriName(url, "crlDistributionPoints")])])]),
    ),
  );
  return extension(EXTENSION_ID.crlDistributionPoints, false, value);
}

export function subjectKeyIdentifierExtension(keyId: Uint8Array): Uint8Array {
  return extension(EXTENSION_ID.subjectKeyIdentifier, false, octetString(keyId));
}

export function authorityKeyIdentifierExtension(keyId: Uint8Array): Uint8Array {
  // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING, ... }
  return extension(EXTENSION_ID.authorityKeyIdentifier, false, sequence([contextPrimitive(0, keyId)]));
}

/** A NameConstraints value copied from a CSR (or built by name-constraints.ts) as it is. */
export function requestedNameConstraintsExtension(requested: RequestedExtension): Uint8Array {
  return extension(EXTENSION_ID.nameConstraints, requested.critical, requested.value);
}

export function subjectAltNameExtension(sans: SubjectAltNames, critical: boolean): Uint8Array {
  return extension(EXTENSION_ID.subjectAltName, critical, subjectAltNames(sans));
}

export function keyUsageExtension(bits: number): Uint8Array {
  // RFC 5280 §4.2.1.3: conforming CAs SHOULD mark key usage critical.
  return extension(EXTENSION_ID.keyUsage, true, namedBitString(bits));
}

export function extKeyUsageExtension(oids: readonly string[]): Uint8Array {
  return extension(EXTENSION_ID.extKeyUsage, false, sequence(oids.map(oid)));
}

export function basicConstraintsExtension(isCA: boolean): Uint8Array {
  return extension(
    EXTENSION_ID.basicConstraints,
    true,
    isCA ? BASIC_CONSTRAINTS_CA : BASIC_CONSTRAINTS_END_ENTITY,
  );
}

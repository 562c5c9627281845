// cert-manager's validateCABundleNotEmpty: a caBundle must hold at least one certificate. Go's
// AppendCertsFromPEM skips blocks it cannot parse, so one good block among bad ones passes.
import { DER_TAG, decodeBase64, derChildren, pemBlocks, readDer } from "./der.ts";
import type { Violation } from "./policy-check.ts";

/** Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE, signature BIT STRING } (RFC 5280 §4.1). */
function isCertificateDer(der: Uint8Array): boolean {
  const certificate = readDer(der);
  const parts = certificate?.tag === DER_TAG.sequence ? derChildren(certificate) : undefined;
  return (
    parts?.length === 3 &&
    parts[0]?.tag === DER_TAG.sequence &&
    parts[1]?.tag === DER_TAG.sequence &&
    parts[2]?.tag === DER_TAG.bitString
  );
}

/** `bundle` is a Kubernetes `[]byte` field: base64 of PEM text. */
export function caBundleWithoutCertificate(bundle: string | undefined, field: string): Violation[] {
  if (!bundle) return [];
  const bytes = decodeBase64(bundle);
  const pem = bytes === undefined ? "" : new TextDecoder().decode(bytes);
  return pemBlocks(pem, "CERTIFICATE").some(isCertificateDer)
    ? []
    : [{ field, message: "cert bundle didn't contain any valid certificates" }];
}

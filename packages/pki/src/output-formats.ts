// cert-manager's spec.additionalOutputFormats (pkg/controller/certificates OutputFormatDER and
// OutputFormatCombinedPEM): derived from tls.key and tls.crt exactly as they are stored.
import { ValidationError } from "@certplane/domain";
import { pemBlocks } from "./pem.ts";

/** `key.der`: the bytes of tls.key's PEM block, in whatever encoding (PKCS#1, SEC 1, PKCS#8) it has. */
export function privateKeyDer(keyPem: string): Uint8Array {
  const block = pemBlocks(keyPem).find((b) => b.label.endsWith("PRIVATE KEY"));
  if (block === undefined) throw ValidationError.of("tls.key", "pem", "tls.key holds no PEM private key");
  return block.der;
}

/** `tls-combined.pem`: tls.key, a newline, tls.crt (cert-manager joins the two with "\n"). */
export function combinedPem(keyPem: string, chainPem: string): string {
  return `${keyPem}\n${chainPem}`;
}

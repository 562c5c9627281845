import type { CertificateDetails, InspectSecretResponse } from "@certplane/api";
import { formatAge } from "./age.ts";

const row = (label: string, value: string) => `  ${`${label}:`.padEnd(22)}${value}\n`;
const list = (values: readonly string[]) => (values.length === 0 ? "<none>" : values.join(", "));

function validity(notAfter: string, now: Date): string {
  const left = Date.parse(notAfter) - now.getTime();
  return left >= 0
    ? `${notAfter} (expires in ${formatAge(left)})`
    : `${notAfter} (EXPIRED ${formatAge(-left)} ago)`;
}

function certificateBlock(title: string, details: CertificateDetails, now: Date): string {
  const sans = [
    details.dnsNames.length > 0 ? row("DNS Names", list(details.dnsNames)) : "",
    details.ipAddresses.length > 0 ? row("IP Addresses", list(details.ipAddresses)) : "",
    details.uris.length > 0 ? row("URIs", list(details.uris)) : "",
    details.emailAddresses.length > 0 ? row("Email Addresses", list(details.emailAddresses)) : "",
  ].join("");
  return [
    `${title}:\n`,
    row("Subject", details.subject),
    sans || row("Subject Alt Names", "<none>"),
    row("Issuer", details.issuer),
    row("Not Before", details.notBefore),
    row("Not After", validity(details.notAfter, now)),
    row("Key", `${details.keyAlgorithm} ${details.keySize}`),
    row("Signature Algorithm", details.signatureAlgorithm),
    row("Serial Number", details.serialNumber),
    row("Is CA", details.isCA ? "yes" : "no"),
    row("Key Usages", list(details.keyUsages)),
    row("Extended Key Usages", list(details.extKeyUsages)),
    row("SHA-1 Fingerprint", details.sha1Fingerprint),
    row("SHA-256 Fingerprint", details.sha256Fingerprint),
  ].join("");
}

/** What `cmctl inspect secret` shows: each certificate of tls.crt, ca.crt, and whether they chain. */
export function inspectView(response: InspectSecretResponse, now: Date): string {
  const total = response.chain.length;
  const header =
    `Secret ${response.namespace}/${response.name}: tls.crt holds ${total} certificate${total === 1 ? "" : "s"}, ` +
    `tls.key ${response.hasPrivateKey ? "present" : "missing"}\n`;
  const chain = response.chain.map((details, i) =>
    certificateBlock(`\nCertificate ${i + 1} of ${total}${i === 0 ? " (leaf)" : ""}`, details, now),
  );
  const ca =
    response.ca === undefined
      ? "\nca.crt: <none>\n"
      : certificateBlock("\nCA certificate (ca.crt)", response.ca, now);
  const verdict = response.chainVerifiesAgainstCa;
  const verifies =
    verdict === undefined
      ? ""
      : `\nChain verifies against ca.crt: ${verdict.ok ? "yes" : "no"}${verdict.reason ? ` (${verdict.reason})` : ""}\n`;
  return [header, ...chain, ca, verifies].join("");
}

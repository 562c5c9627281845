import { formatGoDuration } from "@certplane/domain";
import { parseCsr } from "@certplane/pki";
import type { SignRequest } from "../../signer.ts";

/** cert-manager's default lifetime when a request names none (90 days). */
const defaultDurationMs = 2160 * 3600 * 1000;

/**
 * cert-manager's Vault Sign: the CSR goes as is (the key stays with the publisher) and the names
 * are repeated as parameters, because Vault's role checks and builds SANs from the parameters.
 */
export function signParameters(request: SignRequest): Record<string, string> {
  const csr = parseCsr(request.csrPem);
  return {
    common_name: csr.subject.fields.commonName ?? "",
    alt_names: csr.sans.dnsNames.join(","),
    ip_sans: csr.sans.ipAddresses.join(","),
    uri_sans: csr.sans.uris.join(","),
    ttl: formatGoDuration(request.durationMs ?? defaultDurationMs),
    csr: request.csrPem,
    exclude_cn_from_sans: "true",
  };
}

/** `<mount>/sign/<role>` for leaves; a CA request is signed by the mount's root as an intermediate. */
export function signPath(path: string, isCA: boolean): string {
  const trimmed = path.replace(/^\/+|\/+$/g, "").replace(/^v1\//, "");
  if (!isCA) return trimmed;
  const mount = /^(.*)\/sign(?:-verbatim)?\/[^/]+$/.exec(trimmed)?.[1] ?? trimmed.split("/")[0];
  return `${mount}/root/sign-intermediate`;
}

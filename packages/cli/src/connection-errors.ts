import type { ServerTarget } from "@certplane/api";
import { UnavailableError } from "@certplane/domain";

interface Explanation {
  readonly pattern: RegExp;
  readonly when: "tls" | "plaintext";
  readonly message: (address: string) => string;
}

// gRPC reports every failed handshake as UNAVAILABLE, "is the control plane running?"; the
// reason is only in the transport's detail text, so the known TLS ones are spelled out here.
const explanations: readonly Explanation[] = [
  {
    pattern:
      /unable to verify|self[- ]signed certificate|unable to get (local )?issuer|UNABLE_TO_GET_ISSUER/i,
    when: "tls",
    message: (address) =>
      `the certificate of the server at ${address} is not signed by a trusted CA: ` +
      "pass --certificate-authority FILE (or set CERTPLANE_CA_FILE) with the CA that signed it",
  },
  {
    pattern: /certificate has expired|CERT_HAS_EXPIRED|not yet valid/i,
    when: "tls",
    message: (address) => `the certificate of the server at ${address} has expired or is not yet valid`,
  },
  {
    pattern: /does not match certificate's altnames|ALTNAME/i,
    when: "tls",
    message: (address) =>
      `the certificate of the server does not name ${address}: use --server grpcs://HOST:PORT with a name it lists`,
  },
  {
    pattern: /wrong version number|packet length too long|http request/i,
    when: "tls",
    message: (address) => `the server at ${address} does not speak TLS: use --server grpc://${address}`,
  },
  {
    pattern: /certificate required|alert bad certificate|alert unknown ca|alert handshake failure/i,
    when: "tls",
    message: (address) =>
      `the server at ${address} requires a client certificate it trusts: ` +
      "pass --client-certificate FILE --client-key FILE",
  },
  {
    // The socket opened but the HTTP/2 preface went unanswered: a TLS server hangs up on plaintext.
    pattern: /Failed to connect|Connection dropped|Connection closed/i,
    when: "plaintext",
    message: (address) =>
      `the server at ${address} closed the connection; if it serves TLS, use --server grpcs://${address}`,
  },
];

/** Replaces gRPC's generic "cannot reach" with what went wrong in the handshake and which flag fixes it. */
export function explainConnectionError(error: unknown, target: ServerTarget): unknown {
  if (!(error instanceof UnavailableError) || target.transport !== "grpc") return error;
  const detail = (error.cause as { details?: unknown } | undefined)?.details;
  if (typeof detail !== "string") return error;
  const when = target.tls ? "tls" : "plaintext";
  const found = explanations.find((e) => e.when === when && e.pattern.test(detail));
  return found === undefined ? error : new UnavailableError(found.message(target.address), { cause: error });
}

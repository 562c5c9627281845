// Vault's TLS certificate auth method (builtin/credential/cert, path_login.go) for the Vault
// stand-in: `vault write auth/<mount>/certs/<name> certificate=@ca.pem allowed_common_names=…`
// trusts a CA per role, and `POST /v1/auth/<mount>/login {name}` authenticates the client
// certificate presented in the TLS handshake, so a login only works over HTTPS with a client cert.
// The wording of the refusals follows path_login.go; where the stand-in simplifies, a comment says so.

import { X509Certificate } from "node:crypto";
import type { TLSSocket } from "node:tls";
import { globListContains, ttlSecondsOf } from "./role-values.ts";
import { VaultHttpError } from "./vault-http-error.ts";

/** `vault write auth/<mount>/certs/<name>`, the fields the stand-in applies. */
export interface CertAuthRole {
  /** `certificate`: PEM of the CA (or the very certificate) a client's certificate must chain to. */
  readonly certificate: string;
  /** Globs (`*` anywhere) the client certificate's common name must match; empty or absent: any. */
  readonly allowed_common_names?: readonly string[];
  /** Seconds, or a Go duration; default 0: the token never expires. */
  readonly token_ttl?: number | string;
  readonly token_policies?: readonly string[];
}

/** What a successful login grants; the stand-in turns it into a Vault token. */
export interface CertLogin {
  readonly ttlSeconds: number;
  readonly policies: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
}

const refused = (message: string) => new VaultHttpError(400, [message]);

/** The cert auth mounts of one stand-in, each with its roles ("certs" in Vault's words). */
export class CertAuthEngine {
  readonly #now: () => Date;
  readonly #roles = new Map<string, Map<string, CertAuthRole>>();

  constructor(now: () => Date) {
    this.#now = now;
  }

  /** Throws as Vault refuses a role whose certificate does not parse. */
  writeRole(name: string, role: CertAuthRole, mount = "cert"): void {
    try {
      new X509Certificate(role.certificate);
    } catch {
      throw refused("failed to parse certificate");
    }
    const normalized = normalizeMount(mount);
    const roles = this.#roles.get(normalized) ?? new Map<string, CertAuthRole>();
    roles.set(name.toLowerCase(), role);
    this.#roles.set(normalized, roles);
  }

  has(mount: string): boolean {
    return this.#roles.has(normalizeMount(mount));
  }

  /** path_login.go's verifyCredentials, in its order of checks. */
  login(mount: string, body: Record<string, unknown>, socket: unknown, inNamespace: boolean): CertLogin {
    if (!isTlsSocket(socket)) throw refused("tls connection required");
    const presented = socket.getPeerCertificate(true);
    if (!presented?.raw) throw refused("client certificate must be supplied");
    const clientCert = new X509Certificate(presented.raw);
    const wanted = typeof body.name === "string" ? body.name.toLowerCase() : "";
    const roles = inNamespace ? this.#roles.get(normalizeMount(mount)) : undefined;
    // A login without `name` tries every role; with one, only that role (an unknown name trusts nothing).
    const candidates = [...(roles?.entries() ?? [])].filter(([name]) => wanted === "" || name === wanted);
    const now = this.#now();
    const trusting = candidates.filter(([, role]) => chainsTo(clientCert, role.certificate, now));
    if (trusting.length === 0) throw refused("invalid certificate or no client certificate supplied");
    const commonName = commonNameOf(clientCert);
    const matched = trusting.find(([, role]) => {
      const allowed = role.allowed_common_names ?? [];
      return allowed.length === 0 || globListContains(allowed, commonName);
    });
    if (!matched)
      throw refused("no chain matching all constraints could be found for this login certificate");
    const [name, role] = matched;
    return {
      ttlSeconds: ttlSecondsOf(role.token_ttl),
      policies: role.token_policies ?? ["default"],
      metadata: {
        cert_name: name,
        common_name: commonName,
        serial_number: clientCert.serialNumber.toLowerCase(),
      },
    };
  }
}

const normalizeMount = (mount: string) => mount.replace(/^\/+|\/+$/g, "");

function isTlsSocket(socket: unknown): socket is TLSSocket {
  return typeof (socket as Partial<TLSSocket> | undefined)?.getPeerCertificate === "function";
}

/**
 * Simplified: Vault builds every chain from the presented certificates to the role's certificate;
 * the stand-in accepts the client's leaf when it is the role's certificate itself or is issued by
 * it (signature checked), and is valid now. Intermediates are not followed.
 */
function chainsTo(leaf: X509Certificate, trustedPem: string, now: Date): boolean {
  const trusted = new X509Certificate(trustedPem);
  const valid = now >= new Date(leaf.validFrom) && now <= new Date(leaf.validTo);
  if (!valid) return false;
  if (leaf.fingerprint256 === trusted.fingerprint256) return true;
  return leaf.checkIssued(trusted) && leaf.verify(trusted.publicKey);
}

function commonNameOf(certificate: X509Certificate): string {
  const line = certificate.subject.split("\n").find((part) => part.startsWith("CN="));
  return line?.slice("CN=".length) ?? "";
}

// Test support: a Vault stand-in that follows the documented HTTP API for what certplane calls
// (PKI sign and sign-intermediate, KV v2, AppRole, Kubernetes and TLS certificate login, token lookup-self),
// over HTTP or HTTPS (optionally requiring client certificates, as a Vault listener can), driven by the real
// node-vault client. It issues real certificates through the CA the test passes in, so this package
// needs no PKI code of its own. Where it guesses what real Vault says, a comment says so.

import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { formatGoDuration, readGoDuration } from "@certplane/domain";
import { CertAuthEngine, type CertAuthRole } from "./cert-auth.ts";
import {
  type KubernetesAuthConfig,
  KubernetesAuthEngine,
  type KubernetesAuthRole,
} from "./kubernetes-auth.ts";
import { KvV2Engine, type KvV2Secret } from "./kv-v2-engine.ts";
import { notFound, VaultHttpError } from "./vault-http-error.ts";

export interface VaultRole {
  readonly allowed_domains?: readonly string[];
  readonly allow_subdomains?: boolean;
  readonly allow_bare_domains?: boolean;
  readonly allow_any_name?: boolean;
  readonly allow_ip_sans?: boolean;
  /** Go duration or seconds, as written to the role. */
  readonly max_ttl?: string;
}

/** One certificate the test's CA signed, with what Vault reports about it. */
export interface VaultStandInSigned {
  readonly pem: string;
  /** Lowercase hex, without separators. */
  readonly serialNumberHex: string;
  readonly notAfter: Date;
}

/** The PKI mount's CA; `sign` throws when the CSR cannot be parsed or verified. */
export interface VaultStandInCa {
  readonly certificatePem: string;
  sign(request: {
    readonly csrPem: string;
    readonly isCA: boolean;
    readonly notBefore: Date;
    readonly durationMs: number;
  }): Promise<VaultStandInSigned>;
}

export interface VaultStandInOptions {
  readonly now: () => Date;
  /** The namespace everything lives in (Vault Enterprise); requests must name it. */
  readonly namespace?: string;
  /** Without a CA no PKI mount is enabled, and its routes answer 404 as on a Vault without one. */
  readonly ca?: VaultStandInCa;
  readonly pkiMount?: string;
  readonly kvMount?: string;
  readonly appRoleMount?: string;
  /** Serve HTTPS, as a listener with `tls_cert_file` and `tls_key_file`; plain HTTP when absent. */
  readonly tls?: VaultStandInTls;
}

export interface VaultStandInTls {
  /** The serving certificate (chain), PEM; it must name 127.0.0.1 for clients to verify it. */
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  /**
   * `tls_require_and_verify_client_cert` with this PEM as `tls_client_ca_file`: the handshake fails
   * without a client certificate it issued. Absent: client certificates are asked for but optional,
   * as Vault's listener does by default, so the cert auth method can read them.
   */
  readonly requireClientCertificateFrom?: string;
}

interface Token {
  readonly expiresAtMs: number;
}

const denied = () => new VaultHttpError(403, ["permission denied"]);

export class VaultStandIn {
  readonly #server: Server;
  readonly #options: Required<Omit<VaultStandInOptions, "namespace" | "ca" | "tls">> & { namespace: string };
  readonly #ca: VaultStandInCa | undefined;
  readonly #kv: KvV2Engine;
  readonly #kubernetes: KubernetesAuthEngine;
  readonly #certAuth: CertAuthEngine;
  readonly #scheme: "http" | "https";
  readonly #roles = new Map<string, VaultRole>();
  readonly #tokens = new Map<string, Token>();
  readonly #appRoles = new Map<string, { secretId: string; tokenTtlSeconds: number }>();
  #sealed = false;
  /** Every call as `METHOD path`, for specs that count logins or retries. */
  readonly calls: string[] = [];

  private constructor(server: Server, options: VaultStandInOptions) {
    this.#server = server;
    this.#scheme = options.tls ? "https" : "http";
    this.#options = {
      now: options.now,
      namespace: options.namespace ?? "",
      pkiMount: options.pkiMount ?? "pki",
      kvMount: options.kvMount ?? "secret",
      appRoleMount: options.appRoleMount ?? "approle",
    };
    this.#ca = options.ca;
    this.#kv = new KvV2Engine(options.now);
    this.#kubernetes = new KubernetesAuthEngine(options.now);
    this.#certAuth = new CertAuthEngine(options.now);
    server.on("request", (request, response) => void this.#handle(request, response));
  }

  static async start(options: VaultStandInOptions): Promise<VaultStandIn> {
    const { tls } = options;
    const server: Server = tls
      ? createHttpsServer({
          cert: tls.certificatePem,
          key: tls.privateKeyPem,
          requestCert: true,
          rejectUnauthorized: tls.requireClientCertificateFrom !== undefined,
          ...(tls.requireClientCertificateFrom ? { ca: tls.requireClientCertificateFrom } : {}),
        })
      : createServer();
    const standIn = new VaultStandIn(server, options);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return standIn;
  }

  get url(): string {
    return `${this.#scheme}://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The current version of a KV v2 secret at `path` (below the mount), as `vault kv get` shows it. */
  kvSecret(path: string): KvV2Secret | undefined {
    return this.#kv.read(path);
  }

  writeRole(name: string, role: VaultRole): void {
    this.#roles.set(name, role);
  }

  /** A token valid for `ttlSeconds` (0: no expiry), as `vault token create` would make. */
  createToken(ttlSeconds = 0): string {
    const token = `hvs.${randomUUID()}`;
    this.#tokens.set(token, { expiresAtMs: this.#expiry(ttlSeconds) });
    return token;
  }

  writeAppRole(roleId: string, secretId: string, tokenTtlSeconds = 3600): void {
    this.#appRoles.set(roleId, { secretId, tokenTtlSeconds });
  }

  /**
   * `vault auth enable -path=<mount> kubernetes` plus `vault write auth/<mount>/config`: logins at
   * `POST /v1/auth/<mount>/login` are checked with a TokenReview against `kubernetesHost`.
   */
  configureKubernetesAuth(config: KubernetesAuthConfig): void {
    this.#kubernetes.configure(config);
  }

  /** `vault write auth/<mount>/role/<name>`; mount default `kubernetes`. Throws on an empty binding. */
  writeKubernetesRole(
    name: string,
    role: KubernetesAuthRole,
    options: { readonly mount?: string } = {},
  ): void {
    this.#kubernetes.writeRole(name, role, options.mount);
  }

  /**
   * `vault auth enable -path=<mount> cert` plus `vault write auth/<mount>/certs/<name>`; mount
   * default `cert`. Logins need the stand-in to serve HTTPS (`tls`), where the client certificate is.
   */
  writeCertRole(name: string, role: CertAuthRole, options: { readonly mount?: string } = {}): void {
    this.#certAuth.writeRole(name, role, options.mount);
  }

  /** Why Kubernetes logins were refused with a bare "permission denied" (Vault logs it at debug level). */
  get kubernetesLoginRefusals(): readonly string[] {
    return this.#kubernetes.refusals;
  }

  /** Every token issued so far stops working, as `vault token revoke` of each would do. */
  revokeAllTokens(): void {
    this.#tokens.clear();
  }

  seal(): void {
    this.#sealed = true;
  }

  unseal(): void {
    this.#sealed = false;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #expiry(ttlSeconds: number): number {
    return ttlSeconds > 0 ? this.#options.now().getTime() + ttlSeconds * 1000 : Infinity;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://vault");
    // Vault treats PUT as POST.
    const method = request.method === "PUT" ? "POST" : (request.method ?? "GET");
    this.calls.push(`${method} ${url.pathname}`);
    try {
      const body = await readJson(request);
      const answer = await this.#route(method, url.pathname, request, body);
      if (answer.noContent) send(response, 204, undefined);
      else send(response, 200, envelope(answer));
    } catch (error) {
      const failure = error instanceof VaultHttpError ? error : new VaultHttpError(500, [String(error)]);
      send(response, failure.status, { errors: failure.errors });
    }
  }

  async #route(
    method: string,
    pathname: string,
    request: IncomingMessage,
    body: Record<string, unknown>,
  ): Promise<Answer> {
    if (this.#sealed) throw new VaultHttpError(503, ["Vault is sealed"]);
    if (!pathname.startsWith("/v1/")) throw notFound(pathname);
    const path = pathname.slice("/v1/".length);
    // A token or role from one namespace does not exist in another: it is refused as unknown.
    const namespace = String(request.headers["x-vault-namespace"] ?? "").replace(/^\/+|\/+$/g, "");
    const inNamespace = namespace === this.#options.namespace;
    const { pkiMount, kvMount, appRoleMount } = this.#options;
    if (method === "POST" && path === `auth/${appRoleMount}/login`)
      return this.#appRoleLogin(body, inNamespace);
    const login = /^auth\/(.+)\/login$/.exec(path);
    if (method === "POST" && login && this.#kubernetes.has(login[1]!)) {
      return await this.#kubernetesLogin(login[1]!, body, inNamespace);
    }
    if (method === "POST" && login && this.#certAuth.has(login[1]!)) {
      return this.#loginAnswer(this.#certAuth.login(login[1]!, body, request.socket, inNamespace));
    }
    const token = tokenOf(request);
    if (method === "GET" && path === "auth/token/lookup-self") {
      const found = this.#validToken(token, inNamespace);
      return { data: { id: token, ttl: ttlLeft(found, this.#options.now()), policies: ["default"] } };
    }
    const kv = new RegExp(`^${kvMount}/(data|metadata)/(.+)$`).exec(path);
    if (kv) {
      this.#validToken(token, inNamespace);
      const answer = this.#kv.route(method, kv[1] as "data" | "metadata", kv[2]!, body);
      if (answer) return answer;
      throw notFound(path);
    }
    const ca = this.#ca;
    const sign = new RegExp(`^${pkiMount}/sign/([^/]+)$`).exec(path);
    if (ca && method === "POST" && sign) {
      this.#validToken(token, inNamespace);
      return await this.#signWithRole(ca, sign[1]!, body);
    }
    if (ca && method === "POST" && path === `${pkiMount}/root/sign-intermediate`) {
      this.#validToken(token, inNamespace);
      return await this.#sign(ca, body, { isCA: true, maxTtlMs: undefined });
    }
    throw notFound(path);
  }

  #validToken(token: string | undefined, inNamespace: boolean): Token {
    const found = token === undefined || !inNamespace ? undefined : this.#tokens.get(token);
    if (!found || this.#options.now().getTime() >= found.expiresAtMs) throw denied();
    return found;
  }

  #appRoleLogin(body: Record<string, unknown>, inNamespace: boolean): Answer {
    const roleId = body.role_id;
    if (typeof roleId !== "string" || roleId === "") throw new VaultHttpError(400, ["missing role_id"]);
    const role = inNamespace ? this.#appRoles.get(roleId) : undefined;
    if (!role || body.secret_id !== role.secretId) {
      throw new VaultHttpError(400, ["invalid role or secret ID"]);
    }
    const token = `hvs.${randomUUID()}`;
    this.#tokens.set(token, { expiresAtMs: this.#expiry(role.tokenTtlSeconds) });
    return {
      auth: {
        client_token: token,
        accessor: randomUUID(),
        policies: ["default"],
        token_policies: ["default"],
        metadata: { role_name: roleId },
        lease_duration: role.tokenTtlSeconds,
        renewable: true,
      },
    };
  }

  async #kubernetesLogin(
    mount: string,
    body: Record<string, unknown>,
    inNamespace: boolean,
  ): Promise<Answer> {
    return this.#loginAnswer(await this.#kubernetes.login(mount, body, inNamespace));
  }

  #loginAnswer(login: {
    readonly ttlSeconds: number;
    readonly policies: readonly string[];
    readonly metadata: Readonly<Record<string, string>>;
  }): Answer {
    const token = `hvs.${randomUUID()}`;
    this.#tokens.set(token, { expiresAtMs: this.#expiry(login.ttlSeconds) });
    return {
      auth: {
        client_token: token,
        accessor: randomUUID(),
        policies: [...login.policies],
        token_policies: [...login.policies],
        metadata: login.metadata,
        lease_duration: login.ttlSeconds,
        renewable: true,
      },
    };
  }

  async #signWithRole(ca: VaultStandInCa, roleName: string, body: Record<string, unknown>): Promise<Answer> {
    const role = this.#roles.get(roleName);
    if (!role) throw new VaultHttpError(400, [`unknown role: ${roleName}`]);
    const names = [String(body.common_name ?? ""), ...list(body.alt_names)].filter((name) => name !== "");
    for (const [i, name] of names.entries()) {
      if (!nameAllowed(role, name)) {
        // Vault checks the common name first, with its own wording, then each alt name.
        throw new VaultHttpError(400, [
          i === 0 && body.common_name
            ? `common name ${name} not allowed by this role`
            : `subject alternate name ${name} not allowed by this role`,
        ]);
      }
    }
    const ips = list(body.ip_sans);
    if (ips.length > 0 && !role.allow_ip_sans) {
      throw new VaultHttpError(400, [
        `IP Subject Alternative Names are not allowed in this role, but was provided ${ips.join(",")}`,
      ]);
    }
    const maxTtlMs = role.max_ttl === undefined ? undefined : parseVaultDuration(role.max_ttl);
    return await this.#sign(ca, body, { isCA: false, maxTtlMs });
  }

  async #sign(
    ca: VaultStandInCa,
    body: Record<string, unknown>,
    limits: { isCA: boolean; maxTtlMs: number | undefined },
  ) {
    const csrPem = body.csr;
    // Guess: the wording of Vault's answer to a missing CSR is not documented.
    if (typeof csrPem !== "string" || csrPem === "") throw new VaultHttpError(400, ["csr contains no data"]);
    const requestedMs = typeof body.ttl === "string" ? parseVaultDuration(body.ttl) : undefined;
    if (typeof body.ttl === "string" && body.ttl !== "" && requestedMs === undefined) {
      throw new VaultHttpError(400, [`invalid ttl: ${body.ttl}`]);
    }
    const warnings: string[] = [];
    let durationMs = requestedMs ?? limits.maxTtlMs ?? 30 * 24 * 3600_000;
    if (limits.maxTtlMs !== undefined && durationMs > limits.maxTtlMs) {
      warnings.push(
        `TTL "${formatGoDuration(durationMs)}" is longer than permitted maxTTL "${formatGoDuration(limits.maxTtlMs)}", so maxTTL is being used`,
      );
      durationMs = limits.maxTtlMs;
    }
    let signed: VaultStandInSigned;
    // Simplified: real Vault builds the SANs from common_name/alt_names (use_csr_sans is off for
    // sign/<role>); the stand-in keeps the CSR's, which cert-manager's parameters repeat exactly.
    try {
      signed = await ca.sign({ csrPem, isCA: limits.isCA, notBefore: this.#options.now(), durationMs });
    } catch (error) {
      throw new VaultHttpError(400, [`error parsing CSR: ${error instanceof Error ? error.message : error}`]);
    }
    return {
      data: {
        certificate: signed.pem.trim(),
        issuing_ca: ca.certificatePem.trim(),
        ca_chain: [ca.certificatePem.trim()],
        serial_number: colonHex(signed.serialNumberHex),
        expiration: Math.floor(signed.notAfter.getTime() / 1000),
      },
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  }
}

interface Answer {
  readonly data?: Record<string, unknown>;
  readonly auth?: Record<string, unknown>;
  readonly warnings?: readonly string[];
  /** 204 No Content, as Vault answers a delete. */
  readonly noContent?: true;
}

/** Vault's parseutil.ParseDurationSecond: a bare number is seconds, otherwise Go units. */
function parseVaultDuration(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const reading = readGoDuration(text, { allowNegative: false });
  return reading.ok ? reading.ms : undefined;
}

function envelope(answer: Answer) {
  return {
    request_id: randomUUID(),
    lease_id: "",
    renewable: false,
    lease_duration: 0,
    data: answer.data ?? null,
    wrap_info: null,
    warnings: answer.warnings ?? null,
    auth: answer.auth ?? null,
  };
}

function colonHex(hex: string): string {
  const even = hex.length % 2 === 0 ? hex : `0${hex}`;
  return (even.match(/../g) ?? []).join(":");
}

function tokenOf(request: IncomingMessage): string | undefined {
  const header = request.headers["x-vault-token"];
  if (typeof header === "string" && header !== "") return header;
  return /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
}

function ttlLeft(token: Token, now: Date): number {
  return token.expiresAtMs === Infinity
    ? 0
    : Math.max(0, Math.floor((token.expiresAtMs - now.getTime()) / 1000));
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === "string" && value !== "" ? value.split(",").map((name) => name.trim()) : [];
}

function nameAllowed(role: VaultRole, name: string): boolean {
  if (role.allow_any_name) return true;
  return (role.allowed_domains ?? []).some(
    (domain) =>
      (role.allow_bare_domains && name === domain) || (role.allow_subdomains && name.endsWith(`.${domain}`)),
  );
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
  } catch {
    throw new VaultHttpError(400, ["failed to parse JSON input"]);
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

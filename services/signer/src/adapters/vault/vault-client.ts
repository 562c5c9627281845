import { CertplaneError, TransientError } from "@certplane/domain";
import { translateVaultError, VaultRefusedError } from "@certplane/runtime";
import { inSpan, SpanKind } from "@certplane/telemetry";
import nodeVault from "node-vault";

/** Where and how to reach one issuer's Vault, as its spec and CA bundle say. */
export interface VaultConnection {
  readonly server: string;
  readonly namespace: string | undefined;
  /** PEM trust anchors for an https server; the system's when absent. */
  readonly caPem: string | undefined;
  readonly serverName: string | undefined;
  /** Presented to Vault's listener when it asks (clientCertSecretRef/clientKeySecretRef). */
  readonly clientCertificate: ClientCertificate | undefined;
}

/** A TLS client certificate (chain) and its key, PEM; kept in memory for one call only. */
export interface ClientCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export interface VaultLogin {
  readonly token: string;
  readonly leaseSeconds: number;
}

/** The data and warnings of one Vault answer; node-vault hands back the whole envelope. */
export interface VaultAnswer {
  readonly data: Readonly<Record<string, unknown>>;
  readonly warnings: readonly string[];
}

const requestTimeoutMs = 30_000;

/**
 * The few Vault calls the signer makes, through node-vault. A client per call: node-vault keeps
 * the token of its last login on the client, and one issuer's token must never reach another's call.
 */
export class VaultClient {
  readonly #connection: VaultConnection;

  constructor(connection: VaultConnection) {
    this.#connection = connection;
  }

  async lookupSelf(token: string): Promise<void> {
    await this.#call("token lookup-self", token, (client) => client.tokenLookupSelf());
  }

  async appRoleLogin(mount: string, roleId: string, secretId: string): Promise<VaultLogin> {
    const body = await this.#call("AppRole login", undefined, (client) =>
      client.approleLogin({ mount_point: mount, role_id: roleId, secret_id: secretId }),
    );
    return this.#loginOf(body, "AppRole login");
  }

  /**
   * `POST /v1/auth/<mount>/login {role, jwt}`. node-vault 0.12 renders `/v1/auth//login` without
   * `mount_point`, so it is always passed. Vault's refusals name the auth method and role, as
   * cert-manager's "while requesting a Vault token using the Kubernetes auth" does.
   */
  async kubernetesLogin(mount: string, role: string, jwt: string): Promise<VaultLogin> {
    let body: unknown;
    try {
      body = await this.#call("Kubernetes auth login", undefined, (client) =>
        client.kubernetesLogin({ mount_point: mount, role, jwt }),
      );
    } catch (error) {
      if (!(error instanceof VaultRefusedError)) throw error;
      throw new VaultRefusedError(
        error.status,
        `while requesting a Vault token using the Kubernetes auth (role "${role}" at /v1/auth/${mount}): ${error.message}`,
        { cause: error },
      );
    }
    return this.#loginOf(body, "Kubernetes auth login");
  }

  /**
   * `POST <mount>/login {name}` over TLS with `certificate` as the client certificate, as
   * cert-manager's requestTokenWithClientCertificate does (node-vault's certLogin knows only the
   * `cert` mount). Without `certificate`, the connection's own client certificate is presented.
   */
  async certLogin(
    mount: string,
    name: string,
    certificate: ClientCertificate | undefined,
  ): Promise<VaultLogin> {
    let body: unknown;
    try {
      body = await this.#call(
        "TLS certificate auth login",
        undefined,
        (client) => client.write(`auth/${mount}/login`, name === "" ? {} : { name }),
        certificate,
      );
    } catch (error) {
      if (!(error instanceof VaultRefusedError)) throw error;
      throw new VaultRefusedError(
        error.status,
        `while requesting a Vault token using the TLS certificate auth (${name === "" ? "any cert role" : `cert role "${name}"`} at /v1/auth/${mount}): ${error.message}`,
        { cause: error },
      );
    }
    return this.#loginOf(body, "TLS certificate auth login");
  }

  #loginOf(body: unknown, what: string): VaultLogin {
    const auth = (body as { auth?: { client_token?: unknown; lease_duration?: unknown } }).auth;
    if (typeof auth?.client_token !== "string") {
      throw new TransientError(`Vault ${this.#connection.server} ${what} answered no client_token`);
    }
    return { token: auth.client_token, leaseSeconds: Number(auth.lease_duration ?? 0) };
  }

  async write(path: string, data: Readonly<Record<string, string>>, token: string): Promise<VaultAnswer> {
    const body = (await this.#call(`write ${path}`, token, (client) => client.write(path, data))) as {
      data?: Record<string, unknown>;
      warnings?: string[] | null;
    };
    return { data: body.data ?? {}, warnings: body.warnings ?? [] };
  }

  async #call<T>(
    what: string,
    token: string | undefined,
    run: (client: nodeVault.client) => Promise<T>,
    loginCertificate?: ClientCertificate,
  ): Promise<T> {
    const { server, namespace, caPem, serverName } = this.#connection;
    const certificate = loginCertificate ?? this.#connection.clientCertificate;
    const client = nodeVault({
      endpoint: server,
      requestOptions: {
        timeout: requestTimeoutMs,
        // node-vault turns verification off when the signer's environment has VAULT_SKIP_VERIFY;
        // an issuer's server is verified as its spec says, whatever the process runs with.
        strictSSL: true,
        ...(caPem === undefined ? {} : { ca: caPem }),
        ...(certificate === undefined
          ? {}
          : { cert: certificate.certificatePem, key: certificate.privateKeyPem }),
        ...(serverName === undefined ? {} : { agentOptions: { servername: serverName } }),
      },
    });
    // node-vault falls back to VAULT_TOKEN / VAULT_NAMESPACE / VAULT_PREFIX from the signer's own environment
    // when these are empty; an issuer's calls carry exactly what its spec says, so set them after.
    client.token = token ?? "";
    (client as unknown as { pathPrefix: string }).pathPrefix = "";
    (client as unknown as { namespace: string }).namespace = namespace ?? "";
    // One client span per Vault call (each is one HTTP request), under the signing work's span.
    const url = new URL(server);
    return await inSpan(
      `vault ${what}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          "server.address": url.hostname,
          "server.port": Number(url.port || (url.protocol === "https:" ? 443 : 80)),
          "url.full": server,
          "certplane.vault.operation": what,
          ...(namespace ? { "certplane.vault.namespace": namespace } : {}),
        },
      },
      async () => {
        try {
          return await run(client);
        } catch (error) {
          throw tlsRefusal(error, server, what) ?? translateVaultError(error, server, what);
        }
      },
    );
  }
}

/** Node's codes for a server certificate that does not verify against the trusted CAs. */
const untrustedServerCodes = new Set([
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/**
 * A TLS handshake that fails on trust stays failed until the issuer changes, so it is a refusal
 * (issuer not Ready, saying what to set), not a network error to retry for ever.
 */
function tlsRefusal(error: unknown, server: string, what: string): CertplaneError | undefined {
  const code = String((error as { code?: unknown }).code ?? "");
  const detail = error instanceof Error ? error.message : String(error);
  if (untrustedServerCodes.has(code)) {
    return new CertplaneError(
      "VALIDATION",
      `Vault ${server} ${what}: the server's TLS certificate is not trusted (${detail}): set spec.vault.caBundle ` +
        "(base64 PEM) or spec.vault.caBundleSecretRef to the CA that issued it" +
        (code === "ERR_TLS_CERT_ALTNAME_INVALID" ? ", or spec.vault.serverName to a name it holds" : ""),
      { field: "spec.vault.caBundle", cause: error },
    );
  }
  // OpenSSL's text is `<id>:error:<code>:SSL routines:<function>:<reason>:<file>:<line>:…`; the reason says it.
  const alert = /\b((?:tlsv1\d?|sslv3) alert (?:certificate required|bad certificate|unknown ca))\b/i.exec(
    detail,
  );
  if (alert) {
    return new CertplaneError(
      "VALIDATION",
      `Vault ${server} ${what}: Vault's listener refused the TLS client certificate (${alert[1]}): set ` +
        "spec.vault.clientCertSecretRef and clientKeySecretRef to a certificate its tls_client_ca_file trusts",
      { field: "spec.vault.clientCertSecretRef", cause: error },
    );
  }
  return undefined;
}

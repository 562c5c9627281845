import { TransientError } from "@certplane/domain";
import { translateVaultError, VaultRefusedError } from "@certplane/runtime";
import nodeVault from "node-vault";

/** Where and how to reach one issuer's Vault, as its spec and CA bundle say. */
export interface VaultConnection {
  readonly server: string;
  readonly namespace: string | undefined;
  /** PEM trust anchors for an https server; the system's when absent. */
  readonly caPem: string | undefined;
  readonly serverName: string | undefined;
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
  ): Promise<T> {
    const { server, namespace, caPem, serverName } = this.#connection;
    const client = nodeVault({
      endpoint: server,
      requestOptions: {
        timeout: requestTimeoutMs,
        ...(caPem === undefined ? {} : { ca: caPem }),
        ...(serverName === undefined ? {} : { agentOptions: { servername: serverName } }),
      },
    });
    // node-vault falls back to VAULT_TOKEN / VAULT_NAMESPACE from the signer's own environment
    // when these are empty; an issuer's calls carry exactly what its spec says, so set them after.
    client.token = token ?? "";
    (client as unknown as { namespace: string }).namespace = namespace ?? "";
    try {
      return await run(client);
    } catch (error) {
      throw translateVaultError(error, server, what);
    }
  }
}

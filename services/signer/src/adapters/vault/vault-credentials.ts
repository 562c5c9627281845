import { createHash } from "node:crypto";
import type { Clock, VaultIssuer } from "@certplane/domain";
import { NotFoundError } from "@certplane/domain";
import type { SecretReader } from "../../secret-reader.ts";
import type { SecretRef } from "../../signer.ts";
import type { VaultClient } from "./vault-client.ts";

/** The one auth method an issuer uses, resolved from its spec and resource namespace. */
export type VaultAuthMethod =
  | { readonly kind: "token"; readonly secret: SecretRef; readonly key: string }
  | {
      readonly kind: "appRole";
      readonly mount: string;
      readonly roleId: string;
      readonly secret: SecretRef;
      readonly key: string;
    }
  | { readonly kind: "unusable"; readonly message: string };

const configuredMethods = ["tokenSecretRef", "appRole", "clientCertificate", "kubernetes", "aws"] as const;

/** cert-manager's Setup: intake lets several methods through, the controller refuses them here. */
export function authMethodOf(vault: VaultIssuer, namespace: string): VaultAuthMethod {
  // A client certificate is how Vault knows the caller too; signing without it would be refused.
  if (vault.clientCertSecretRef || vault.clientKeySecretRef) {
    return {
      kind: "unusable",
      message: "Vault clientCertSecretRef and clientKeySecretRef are not supported by certplane yet",
    };
  }
  const set = configuredMethods.filter((method) => vault.auth[method] !== undefined);
  if (set.length !== 1) {
    return {
      kind: "unusable",
      message:
        set.length === 0
          ? "Vault tokenSecretRef, appRole, clientCertificate, or kubernetes is required"
          : "Multiple auth methods cannot be set on the same Vault issuer",
    };
  }
  const { tokenSecretRef, appRole } = vault.auth;
  if (tokenSecretRef) {
    return {
      kind: "token",
      secret: { namespace, name: tokenSecretRef.name },
      key: tokenSecretRef.key || "token",
    };
  }
  if (appRole) {
    return {
      kind: "appRole",
      // cert-manager joins /v1/auth/<path>/login; node-vault adds /v1/auth/ and /login itself.
      mount: appRole.path.replace(/^\/+|\/+$/g, "") || "approle",
      roleId: appRole.roleId,
      secret: { namespace, name: appRole.secretRef.name },
      key: appRole.secretRef.key || "secretId",
    };
  }
  return { kind: "unusable", message: `Vault auth.${set[0]} is not supported by certplane yet` };
}

/** How a message names the credentials that Vault refused; never the credentials themselves. */
export function describeAuth(method: Exclude<VaultAuthMethod, { kind: "unusable" }>): string {
  const where = `${method.secret.namespace}/${method.secret.name}`;
  return method.kind === "token"
    ? `the token in secret ${where}`
    : `the AppRole token of role_id ${method.roleId} (secret ${where})`;
}

interface CachedToken {
  readonly token: string;
  readonly renewAtMs: number;
}

/**
 * Tokens for Vault calls. AppRole logins are cached and replaced once two thirds of their lease
 * has passed, so a token is never used near its expiry and a busy issuer does not log in per request.
 */
export class VaultCredentials {
  readonly #secrets: SecretReader;
  readonly #clock: Clock;
  readonly #appRoleTokens = new Map<string, CachedToken>();

  constructor(options: { secrets: SecretReader; clock: Clock }) {
    this.#secrets = options.secrets;
    this.#clock = options.clock;
  }

  /** A token for `method`; `fresh` skips the cache (a check, or a retry after Vault said 403). */
  async token(
    client: VaultClient,
    cacheScope: string,
    method: Exclude<VaultAuthMethod, { kind: "unusable" }>,
    options: { fresh: boolean },
  ): Promise<string> {
    const secret = await this.#readValue(method.secret, method.key);
    if (method.kind === "token") return secret.trim();
    const key = [cacheScope, method.mount, method.roleId, sha256(secret)].join("\0");
    const now = this.#clock.now().getTime();
    const cached = this.#appRoleTokens.get(key);
    if (!options.fresh && cached && now < cached.renewAtMs) return cached.token;
    const login = await client.appRoleLogin(method.mount, method.roleId, secret);
    const renewAtMs = login.leaseSeconds > 0 ? now + (login.leaseSeconds * 1000 * 2) / 3 : Infinity;
    this.#appRoleTokens.set(key, { token: login.token, renewAtMs });
    return login.token;
  }

  async #readValue(ref: SecretRef, key: string): Promise<string> {
    const content = await this.#secrets.read(ref);
    if (!content) throw new NotFoundError(`secret "${ref.namespace}/${ref.name}" not found`);
    const value = this.#secrets.value(ref, content, key);
    if (value === undefined) {
      throw new NotFoundError(`no data for "${key}" in secret '${ref.namespace}/${ref.name}'`);
    }
    return value;
  }
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

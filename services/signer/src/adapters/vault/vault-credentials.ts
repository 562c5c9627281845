import { createHash } from "node:crypto";
import type { Clock, VaultIssuer } from "@certplane/domain";
import { CertplaneError, NotFoundError } from "@certplane/domain";
import type { SecretReader } from "../../secret-reader.ts";
import type { IssuerView, SecretRef } from "../../signer.ts";
import {
  kubeconfigSetting,
  type ServiceAccountName,
  type ServiceAccountTokens,
} from "./service-account-tokens.ts";
import type { ClientCertificate, VaultClient, VaultLogin } from "./vault-client.ts";

/** Where a Kubernetes auth login's JWT comes from. */
export type KubernetesJwtSource =
  | { readonly from: "secret"; readonly secret: SecretRef; readonly key: string }
  | {
      readonly from: "serviceAccount";
      readonly serviceAccount: ServiceAccountName;
      readonly audiences: readonly string[];
    };

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
  | {
      readonly kind: "clientCertificate";
      /** Below `/v1/auth/`. */
      readonly mount: string;
      /** The cert role to log in with; empty: Vault tries every role of the mount. */
      readonly name: string;
      /** A kubernetes.io/tls Secret; absent: the connection's clientCertSecretRef certificate. */
      readonly secret: SecretRef | undefined;
    }
  | {
      readonly kind: "kubernetes";
      /** Below `/v1/auth/`, as node-vault's `mount_point` wants it. */
      readonly mount: string;
      readonly role: string;
      readonly jwt: KubernetesJwtSource;
    }
  | { readonly kind: "unusable"; readonly message: string };

export type UsableAuth = Exclude<VaultAuthMethod, { kind: "unusable" }>;

/** Which issuer the method is for: its secrets' namespace, and its name for bound-token audiences. */
export type IssuerIdentity = Pick<IssuerView, "kind" | "name" | "resourceNamespace">;

/** cert-manager's TokenRequest lifetime: the JWT is used once, and 10 minutes is the API's minimum. */
export const boundTokenSeconds = 600;

const configuredMethods = ["tokenSecretRef", "appRole", "clientCertificate", "kubernetes", "aws"] as const;

/** cert-manager's Setup: intake lets several methods through, the controller refuses them here. */
export function authMethodOf(vault: VaultIssuer, issuer: IssuerIdentity): VaultAuthMethod {
  const namespace = issuer.resourceNamespace;
  // cert-manager ignores one without the other; a listener that wants a certificate would then
  // refuse every call with a TLS alert that does not say which setting is missing.
  if ((vault.clientCertSecretRef === undefined) !== (vault.clientKeySecretRef === undefined)) {
    return {
      kind: "unusable",
      message: "Vault clientCertSecretRef and clientKeySecretRef must be set together",
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
  const { tokenSecretRef, appRole, clientCertificate, kubernetes } = vault.auth;
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
  if (clientCertificate) {
    const mount = authMountOf(clientCertificate.mountPath || "/v1/auth/cert");
    if (!mount) return badMountPath("clientCertificate", clientCertificate.mountPath ?? "");
    const secretName = clientCertificate.secretName;
    return {
      kind: "clientCertificate",
      mount,
      name: clientCertificate.name ?? "",
      secret: secretName ? { namespace, name: secretName } : undefined,
    };
  }
  if (kubernetes) return kubernetesMethodOf(kubernetes, vault.server, issuer);
  return { kind: "unusable", message: `Vault auth.${set[0]} is not supported by certplane yet` };
}

function kubernetesMethodOf(
  kubernetes: NonNullable<VaultIssuer["auth"]["kubernetes"]>,
  server: string,
  issuer: IssuerIdentity,
): VaultAuthMethod {
  const mountPath = kubernetes.mountPath || "/v1/auth/kubernetes";
  const mount = authMountOf(mountPath);
  if (!mount) return badMountPath("kubernetes", mountPath);
  const namespace = issuer.resourceNamespace;
  if (kubernetes.secretRef?.name) {
    return {
      kind: "kubernetes",
      mount,
      role: kubernetes.role,
      jwt: {
        from: "secret",
        secret: { namespace, name: kubernetes.secretRef.name },
        key: kubernetes.secretRef.key || "token",
      },
    };
  }
  if (kubernetes.serviceAccountRef) {
    // cert-manager: the issuer's own audience (vault://<namespace>/<name>, vault://<name> for a
    // ClusterIssuer) and the server address, after any the issuer lists.
    const own = issuer.kind === "Issuer" ? `vault://${namespace}/${issuer.name}` : `vault://${issuer.name}`;
    return {
      kind: "kubernetes",
      mount,
      role: kubernetes.role,
      jwt: {
        from: "serviceAccount",
        serviceAccount: { namespace, name: kubernetes.serviceAccountRef.name },
        audiences: [...(kubernetes.serviceAccountRef.audiences ?? []), own, server],
      },
    };
  }
  // Intake refuses this shape; an issuer stored before that check still gets a clear condition.
  return {
    kind: "unusable",
    message: "Vault auth.kubernetes needs one of: secretRef, serviceAccountRef",
  };
}

/** cert-manager POSTs to `<mountPath>/login` as given; node-vault adds `/v1/auth/` and `/login` itself. */
function authMountOf(mountPath: string): string | undefined {
  return /^\/*v1\/auth\/(.+?)\/*$/.exec(mountPath)?.[1];
}

function badMountPath(method: "kubernetes" | "clientCertificate", mountPath: string): VaultAuthMethod {
  return {
    kind: "unusable",
    message: `Vault auth.${method}.mountPath must be /v1/auth/<mount>, as Vault mounts auth methods, got "${mountPath}"`,
  };
}

/** The Secret a method reads its credential from; none for a bound service-account token. */
export function secretOf(method: UsableAuth): SecretRef | undefined {
  if (method.kind !== "kubernetes") return method.secret;
  return method.jwt.from === "secret" ? method.jwt.secret : undefined;
}

/** How a message names the credentials that Vault refused; never the credentials themselves. */
export function describeAuth(method: UsableAuth): string {
  if (method.kind === "kubernetes") {
    const { jwt } = method;
    const from =
      jwt.from === "secret"
        ? `JWT in secret ${jwt.secret.namespace}/${jwt.secret.name}`
        : `service account ${jwt.serviceAccount.namespace}/${jwt.serviceAccount.name}`;
    return `the Kubernetes auth token of role ${method.role} at /v1/auth/${method.mount} (${from})`;
  }
  if (method.kind === "clientCertificate") {
    const from = method.secret
      ? `client certificate in secret ${method.secret.namespace}/${method.secret.name}`
      : "the clientCertSecretRef certificate";
    const role = method.name === "" ? "any cert role" : `cert role ${method.name}`;
    return `the TLS certificate auth token of ${role} at /v1/auth/${method.mount} (${from})`;
  }
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
 * Tokens for Vault calls. AppRole and Kubernetes logins are cached and replaced once two thirds of
 * their lease has passed, so a token is never used near its expiry and a busy issuer does not log
 * in per request (nor ask Kubernetes for a service-account token per request).
 */
export class VaultCredentials {
  readonly #secrets: SecretReader;
  readonly #clock: Clock;
  readonly #serviceAccountTokens: ServiceAccountTokens | undefined;
  readonly #loginTokens = new Map<string, CachedToken>();

  constructor(options: { secrets: SecretReader; clock: Clock; serviceAccountTokens?: ServiceAccountTokens }) {
    this.#secrets = options.secrets;
    this.#clock = options.clock;
    this.#serviceAccountTokens = options.serviceAccountTokens;
  }

  /** A token for `method`; `fresh` skips the cache (a check, or a retry after Vault said 403). */
  async token(
    client: VaultClient,
    cacheScope: string,
    method: UsableAuth,
    options: { fresh: boolean },
  ): Promise<string> {
    if (method.kind === "kubernetes") return await this.#kubernetesToken(client, cacheScope, method, options);
    if (method.kind === "clientCertificate") {
      const certificate = method.secret ? await this.clientCertificate(method.secret) : undefined;
      const key = [
        cacheScope,
        "cert",
        method.mount,
        method.name,
        certificate ? sha256(certificate.certificatePem) : "connection",
      ].join("\0");
      return await this.#cachedLogin(key, options, () =>
        client.certLogin(method.mount, method.name, certificate),
      );
    }
    const secret = await this.#readValue(method.secret, method.key);
    if (method.kind === "token") return secret.trim();
    const key = [cacheScope, "approle", method.mount, method.roleId, sha256(secret)].join("\0");
    return await this.#cachedLogin(key, options, () =>
      client.appRoleLogin(method.mount, method.roleId, secret),
    );
  }

  async #kubernetesToken(
    client: VaultClient,
    cacheScope: string,
    method: Extract<UsableAuth, { kind: "kubernetes" }>,
    options: { fresh: boolean },
  ): Promise<string> {
    const { jwt } = method;
    if (jwt.from === "secret") {
      // A JWT holds no whitespace; a trailing newline from `kubectl create secret --from-file` would
      // only make Vault refuse it.
      const value = (await this.#readValue(jwt.secret, jwt.key)).trim();
      const key = [cacheScope, "kubernetes", method.mount, method.role, sha256(value)].join("\0");
      return await this.#cachedLogin(key, options, () =>
        client.kubernetesLogin(method.mount, method.role, value),
      );
    }
    const tokens = this.#serviceAccountTokens;
    const { namespace, name } = jwt.serviceAccount;
    if (!tokens) {
      throw new CertplaneError(
        "VALIDATION",
        `Vault auth.kubernetes.serviceAccountRef needs a token of service account ${namespace}/${name} ` +
          "from the Kubernetes TokenRequest API, and this signer runs outside the cluster with no " +
          `Kubernetes API configured: set ${kubeconfigSetting} to a kubeconfig file for that cluster`,
        { field: kubeconfigSetting },
      );
    }
    const key = [cacheScope, "kubernetes", method.mount, method.role, namespace, name, ...jwt.audiences].join(
      "\0",
    );
    return await this.#cachedLogin(key, options, async () => {
      const serviceAccountJwt = await tokens.request(jwt.serviceAccount, jwt.audiences, boundTokenSeconds);
      return await client.kubernetesLogin(method.mount, method.role, serviceAccountJwt);
    });
  }

  async #cachedLogin(
    key: string,
    options: { fresh: boolean },
    login: () => Promise<VaultLogin>,
  ): Promise<string> {
    const now = this.#clock.now().getTime();
    const cached = this.#loginTokens.get(key);
    if (!options.fresh && cached && now < cached.renewAtMs) return cached.token;
    const answer = await login();
    const renewAtMs = answer.leaseSeconds > 0 ? now + (answer.leaseSeconds * 1000 * 2) / 3 : Infinity;
    this.#loginTokens.set(key, { token: answer.token, renewAtMs });
    return answer.token;
  }

  /** `tls.crt` and `tls.key` of a kubernetes.io/tls Secret, as cert-manager reads `secretName`. */
  async clientCertificate(ref: SecretRef): Promise<ClientCertificate> {
    return {
      certificatePem: await this.#readValue(ref, "tls.crt"),
      privateKeyPem: await this.#readValue(ref, "tls.key"),
    };
  }

  /** One value of a Secret; NotFoundError in cert-manager's words when the Secret or key is absent. */
  async readValue(ref: SecretRef, key: string): Promise<string> {
    return await this.#readValue(ref, key);
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

// Vault's Kubernetes auth method (hashicorp/vault-plugin-auth-kubernetes, path_login.go) for the
// Vault stand-in: a login names a role and hands in a service-account JWT; the JWT's claims are
// checked against the role's bound names, namespaces and audience, then the JWT is sent to the real
// kube-apiserver's TokenReview API with the reviewer JWT of the mount's config, as Vault does.
// The plugin is configured without `pem_keys`, its default, so the signature is not checked
// locally: the apiserver is the one that decides whether the token is genuine.

import { request as httpsRequest } from "node:https";
import { globListContains, ttlSecondsOf } from "./role-values.ts";
import { VaultHttpError } from "./vault-http-error.ts";

/** `vault write auth/<mount>/config`, the fields the login uses. */
export interface KubernetesAuthConfig {
  /** Default `kubernetes`, as `vault auth enable kubernetes` mounts it. */
  readonly mount?: string;
  /** `kubernetes_host`: `https://host:port` of the apiserver. */
  readonly kubernetesHost: string;
  /** `kubernetes_ca_cert`: the PEM that verifies the apiserver's serving certificate. */
  readonly kubernetesCaPem: string;
  /**
   * `token_reviewer_jwt`: what the TokenReview is authenticated with; it needs `create` on
   * `tokenreviews` (system:auth-delegator). Absent: the JWT being logged in with reviews itself.
   */
  readonly tokenReviewerJwt?: string;
}

/** `vault write auth/<mount>/role/<name>`, the fields the stand-in applies. */
export interface KubernetesAuthRole {
  /** `*` allows any; entries may hold globs (`*` anywhere), as strutil.StrListContainsGlob matches. */
  readonly bound_service_account_names: readonly string[];
  readonly bound_service_account_namespaces: readonly string[];
  /** When set, the JWT's `aud` must contain it, and the TokenReview asks for it. */
  readonly audience?: string;
  /** Seconds, or a Go duration; default 0: the token never expires (the stand-in has no system max). */
  readonly token_ttl?: number | string;
  /** Reported on the login's `auth`; the stand-in does not enforce policies. */
  readonly token_policies?: readonly string[];
}

/** What a successful login grants; the stand-in turns it into a Vault token. */
export interface KubernetesLogin {
  readonly ttlSeconds: number;
  readonly policies: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
}

interface ServiceAccountClaims {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly secretName: string;
  readonly audiences: readonly string[];
  readonly expiresAtSeconds: number | undefined;
}

const permissionDenied = () => new VaultHttpError(403, ["permission denied"]);
const forbidden = (message: string) => new VaultHttpError(403, [message]);

/** The kubernetes auth mounts of one stand-in, each with its config and roles. */
export class KubernetesAuthEngine {
  readonly #now: () => Date;
  readonly #configs = new Map<string, KubernetesAuthConfig>();
  readonly #roles = new Map<string, Map<string, KubernetesAuthRole>>();
  /** Why the last logins were refused with a bare "permission denied", as Vault's debug log says. */
  readonly refusals: string[] = [];

  constructor(now: () => Date) {
    this.#now = now;
  }

  configure(config: KubernetesAuthConfig): void {
    const mount = normalizeMount(config.mount ?? "kubernetes");
    this.#configs.set(mount, { ...config, mount, kubernetesHost: config.kubernetesHost.replace(/\/+$/, "") });
    if (!this.#roles.has(mount)) this.#roles.set(mount, new Map());
  }

  /** Throws as Vault refuses the write of a role that binds nothing (path_role.go). */
  writeRole(name: string, role: KubernetesAuthRole, mount = "kubernetes"): void {
    if (role.bound_service_account_names.length === 0) {
      throw new VaultHttpError(400, ['"bound_service_account_names" can not be empty']);
    }
    if (role.bound_service_account_namespaces.length === 0) {
      throw new VaultHttpError(400, ['"bound_service_account_namespaces" can not be empty']);
    }
    const normalized = normalizeMount(mount);
    const roles = this.#roles.get(normalized) ?? new Map<string, KubernetesAuthRole>();
    roles.set(name.toLowerCase(), role);
    this.#roles.set(normalized, roles);
  }

  /** Whether `mount` is a kubernetes auth mount (enabled by configure or a role write). */
  has(mount: string): boolean {
    return this.#roles.has(normalizeMount(mount));
  }

  /** `POST /v1/auth/<mount>/login {role, jwt}`, in path_login.go's order of checks. */
  async login(mount: string, body: Record<string, unknown>, inNamespace: boolean): Promise<KubernetesLogin> {
    const roleName = typeof body.role === "string" ? body.role : "";
    if (roleName === "") throw new VaultHttpError(400, ["missing role"]);
    const jwt = typeof body.jwt === "string" ? body.jwt : "";
    if (jwt === "") throw new VaultHttpError(400, ["missing jwt"]);
    // Vault stores role names lowercased; a role of another namespace does not exist here.
    const role = inNamespace
      ? this.#roles.get(normalizeMount(mount))?.get(roleName.toLowerCase())
      : undefined;
    if (!role) throw new VaultHttpError(400, [`invalid role name "${roleName}"`]);
    const config = this.#configs.get(normalizeMount(mount));
    // Guess: Vault answers an internal error with 500 and the error in a multierror wrapping.
    if (!config) throw new VaultHttpError(500, ["could not load backend configuration"]);

    const claims = this.#validateClaims(jwt, role);
    if (!globListContains(role.bound_service_account_names, claims.name)) {
      throw forbidden("service account name not authorized");
    }
    if (
      !(
        role.bound_service_account_namespaces[0] === "*" ||
        globListContains(role.bound_service_account_namespaces, claims.namespace)
      )
    ) {
      throw forbidden("namespace not authorized");
    }
    // Every failure of the lookup is logged at debug level and answered as plain permission denied.
    const wantAudiences = role.audience ? [role.audience] : claims.audiences;
    try {
      const reviewed = await tokenReview(config, jwt, wantAudiences);
      if (reviewed.name !== claims.name) throw new Error("JWT names did not match");
      if (reviewed.uid !== claims.uid) throw new Error("JWT UIDs did not match");
      if (reviewed.namespace !== claims.namespace) throw new Error("JWT namepaces did not match");
    } catch (error) {
      this.refusals.push(error instanceof Error ? error.message : String(error));
      throw permissionDenied();
    }
    return {
      ttlSeconds: ttlSecondsOf(role.token_ttl),
      policies: role.token_policies ?? ["default"],
      metadata: {
        role: roleName,
        service_account_name: claims.name,
        service_account_namespace: claims.namespace,
        service_account_uid: claims.uid,
        service_account_secret_name: claims.secretName,
      },
    };
  }

  /** capjwt's validation with no key set: claims only (the signature is the apiserver's to check). */
  #validateClaims(jwt: string, role: KubernetesAuthRole): ServiceAccountClaims {
    const decoded = decodeClaims(jwt);
    // Guess: go-jose's wording for a token that is not a compact JWS.
    if (!decoded)
      throw forbidden("error parsing token: go-jose/go-jose: compact JWS format must have three parts");
    const claims = serviceAccountOf(decoded);
    if (claims.expiresAtSeconds !== undefined && this.#now().getTime() / 1000 > claims.expiresAtSeconds) {
      // Guess: cap/jwt's wording (it wraps go-jose's ErrExpired).
      throw forbidden("invalid expiration time (exp) claim: token is expired");
    }
    if (role.audience?.trim() && !claims.audiences.includes(role.audience)) {
      throw forbidden("invalid audience (aud) claim: audience claim does not match any expected audience");
    }
    return claims;
  }
}

const normalizeMount = (mount: string) => mount.replace(/^\/+|\/+$/g, "");

function decodeClaims(jwt: string): Record<string, unknown> | undefined {
  const parts = jwt.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as unknown;
    return typeof claims === "object" && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The plugin's serviceAccount: a bound (TokenRequest, projected) token keeps its identity under
 * `kubernetes.io`, a legacy Secret-based token at the top level.
 */
function serviceAccountOf(claims: Record<string, unknown>): ServiceAccountClaims {
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  const projected = claims["kubernetes.io"] as
    | { namespace?: unknown; serviceaccount?: { name?: unknown; uid?: unknown } }
    | undefined;
  const aud = claims.aud;
  const audiences = Array.isArray(aud) ? aud.map(String) : typeof aud === "string" ? [aud] : [];
  const exp = typeof claims.exp === "number" ? claims.exp : undefined;
  if (projected && typeof projected === "object") {
    return {
      name: text(projected.serviceaccount?.name),
      namespace: text(projected.namespace),
      uid: text(projected.serviceaccount?.uid),
      secretName: "",
      audiences,
      expiresAtSeconds: exp,
    };
  }
  return {
    name: text(claims["kubernetes.io/serviceaccount/service-account.name"]),
    namespace: text(claims["kubernetes.io/serviceaccount/namespace"]),
    uid: text(claims["kubernetes.io/serviceaccount/service-account.uid"]),
    secretName: text(claims["kubernetes.io/serviceaccount/secret.name"]),
    audiences,
    expiresAtSeconds: exp,
  };
}

interface Reviewed {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
}

/**
 * token_review.go: `POST /apis/authentication.k8s.io/v1/tokenreviews` with the reviewer JWT as
 * bearer and TLS verified against the configured CA; the username must be
 * `system:serviceaccount:<namespace>:<name>`.
 */
async function tokenReview(
  config: KubernetesAuthConfig,
  jwt: string,
  audiences: readonly string[],
): Promise<Reviewed> {
  const body = JSON.stringify({
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenReview",
    spec: { token: jwt, audiences },
  });
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = httpsRequest(
      new URL("/apis/authentication.k8s.io/v1/tokenreviews", config.kubernetesHost),
      {
        method: "POST",
        ca: config.kubernetesCaPem,
        headers: {
          authorization: `Bearer ${config.tokenReviewerJwt ?? jwt}`,
          "content-type": "application/json",
          accept: "application/json",
        },
        timeout: 10_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
        response.on("error", reject);
      },
    );
    request.once("timeout", () => request.destroy(new Error("TokenReview timed out")));
    request.once("error", reject);
    request.end(body);
  });
  if (status === 401) {
    throw new Error(
      "lookup failed: service account unauthorized; this could mean it has been deleted or recreated with a new token",
    );
  }
  if (status < 200 || status > 206) throw new Error(`TokenReview answered ${status}: ${text.trim()}`);
  const review = JSON.parse(text) as {
    status?: {
      authenticated?: boolean;
      error?: string;
      audiences?: string[];
      user?: { username?: string; uid?: string };
    };
  };
  if (review.status?.error) throw new Error(`lookup failed: ${review.status.error}`);
  if (!review.status?.authenticated) throw new Error("lookup failed: service account jwt not valid");
  const parts = (review.status.user?.username ?? "").split(":");
  if (parts.length !== 4 || parts[0] !== "system" || parts[1] !== "serviceaccount") {
    throw new Error("lookup failed: unexpected username format");
  }
  if (audiences.length > 0 && !(review.status.audiences ?? []).some((aud) => audiences.includes(aud))) {
    throw new Error("lookup failed: token audiences do not match the expected audiences");
  }
  return { namespace: parts[2]!, name: parts[3]!, uid: review.status.user?.uid ?? "" };
}

import { ForbiddenError, NotFoundError, TransientError, ValidationError } from "@certplane/domain";
import { ApiException, CoreV1Api, KubeConfig } from "@kubernetes/client-node";

/** A ServiceAccount of the cluster the issuers' Vault trusts, by namespace and name. */
export interface ServiceAccountName {
  readonly namespace: string;
  readonly name: string;
}

/** Bound service-account tokens from the Kubernetes TokenRequest API. */
export interface ServiceAccountTokens {
  /** A JWT of `serviceAccount` for `audiences`, valid for `expirationSeconds`. */
  request(
    serviceAccount: ServiceAccountName,
    audiences: readonly string[],
    expirationSeconds: number,
  ): Promise<string>;
}

export const kubeconfigSetting = "CERTPLANE_SIGNER_KUBECONFIG";

/**
 * TokenRequests through @kubernetes/client-node (`POST .../serviceaccounts/<name>/token`, as
 * cert-manager's Vault issuer does from inside the cluster). The kubeconfig's user needs `create`
 * on `serviceaccounts/token` in the namespaces of the issuers' secrets.
 */
export class KubeServiceAccountTokens implements ServiceAccountTokens {
  readonly #core: CoreV1Api;

  constructor(config: KubeConfig) {
    this.#core = config.makeApiClient(CoreV1Api);
  }

  /** Throws a ValidationError naming the setting when the file does not load as a kubeconfig. */
  static fromKubeconfigFile(path: string): KubeServiceAccountTokens {
    const config = new KubeConfig();
    try {
      config.loadFromFile(path);
    } catch (error) {
      throw ValidationError.of(
        kubeconfigSetting,
        "kubeconfig",
        `${kubeconfigSetting} must name a readable kubeconfig file, ${path}: ${error instanceof Error ? error.message : error}`,
      );
    }
    if (!config.getCurrentCluster()) {
      throw ValidationError.of(
        kubeconfigSetting,
        "kubeconfig",
        `${kubeconfigSetting} names ${path}, whose current context has no cluster`,
      );
    }
    return new KubeServiceAccountTokens(config);
  }

  async request(
    serviceAccount: ServiceAccountName,
    audiences: readonly string[],
    expirationSeconds: number,
  ): Promise<string> {
    const { namespace, name } = serviceAccount;
    // cert-manager's wording (pkg/internal/vault/vault.go).
    const what = `while requesting a token for the service account ${namespace}/${name}`;
    let token: string | undefined;
    try {
      const answer = await this.#core.createNamespacedServiceAccountToken({
        namespace,
        name,
        body: { spec: { audiences: [...audiences], expirationSeconds } },
      });
      token = answer.status?.token;
    } catch (error) {
      throw translateKubeError(error, what, serviceAccount);
    }
    if (!token) throw new TransientError(`${what}: the TokenRequest answered no token`);
    return token;
  }
}

/** A missing account or a refusal stays until someone acts; anything else may pass on a retry. */
function translateKubeError(error: unknown, what: string, serviceAccount: ServiceAccountName): Error {
  if (!(error instanceof ApiException)) {
    const detail = error instanceof Error ? error.message : String(error);
    return new TransientError(`${what}: ${detail}`, { cause: error });
  }
  const message = `${what}: ${statusMessage(error)}`;
  if (error.code === 404) return new NotFoundError(message, { cause: error });
  if (error.code === 403) {
    // The apiserver names the user and the resource; this adds the rule that would allow it.
    const rule =
      `grant the ${kubeconfigSetting} user "create" on "serviceaccounts/token" (resourceNames: ` +
      `["${serviceAccount.name}"]) in namespace ${serviceAccount.namespace}`;
    return new ForbiddenError(`${message}: ${rule}`, { cause: error, field: kubeconfigSetting });
  }
  if (error.code === 401) return new ForbiddenError(message, { cause: error, field: kubeconfigSetting });
  if (error.code >= 400 && error.code < 500 && error.code !== 429) {
    return ValidationError.of("spec.vault.auth.kubernetes.serviceAccountRef", "tokenRequest", message);
  }
  return new TransientError(message, { cause: error });
}

/** The Status message of an ApiException, whose body is the raw JSON text of a Status. */
function statusMessage(error: ApiException<unknown>): string {
  try {
    const status = JSON.parse(String(error.body)) as { message?: unknown };
    if (typeof status.message === "string" && status.message !== "") return status.message;
  } catch {
    // Not a Status: fall through to the code.
  }
  return `HTTP ${error.code}`;
}

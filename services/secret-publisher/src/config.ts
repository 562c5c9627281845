import { resolve } from "node:path";
import { ValidationError } from "@certplane/domain";
import { parseMetricsAddress } from "@certplane/observability";
import { parseClusterResourceNamespace } from "@certplane/runtime";

export interface SecretPublisherConfig {
  /** Root of the file secret target: `<secretsDir>/<namespace>/<name>/…`. */
  readonly secretsDir: string;
  /** Where ClusterIssuer-related secrets live (cert-manager's --cluster-resource-namespace). */
  readonly clusterResourceNamespace: string;
  /** A second target mirroring every secret into Vault KV v2; absent: the file target alone. */
  readonly vaultKv?: VaultKvConfig;
  /** `host:port` of the /metrics, /livez and /readyz listener (CERTPLANE_METRICS_ADDRESS); absent: none. */
  readonly metricsAddress?: string;
}

export interface VaultKvConfig {
  readonly server: string;
  readonly mount: string;
  readonly prefix: string;
  /** Read before each call, so a token that Vault Agent rotates in the file is picked up. */
  readonly tokenFile: string;
  readonly namespace?: string;
}

const VAULT_PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const VAULT_KV_SETTINGS = [
  "CERTPLANE_VAULT_KV_MOUNT",
  "CERTPLANE_VAULT_KV_PREFIX",
  "CERTPLANE_VAULT_KV_TOKEN_FILE",
  "CERTPLANE_VAULT_KV_NAMESPACE",
] as const;

/**
 * Reads CERTPLANE_SECRETS_DIR (default ./secrets), CERTPLANE_CLUSTER_RESOURCE_NAMESPACE (default
 * cert-manager) and, for the Vault KV target, CERTPLANE_VAULT_KV_ADDR, _MOUNT (default secret),
 * _PREFIX (default certplane), _TOKEN_FILE and _NAMESPACE; CERTPLANE_METRICS_ADDRESS.
 */
export function parseSecretPublisherConfig(env: NodeJS.ProcessEnv): SecretPublisherConfig {
  const clusterResourceNamespace = parseClusterResourceNamespace(env);
  const vaultKv = parseVaultKv(env);
  const metricsAddress = parseMetricsAddress(env);
  return Object.freeze({
    secretsDir: resolve(env.CERTPLANE_SECRETS_DIR || "./secrets"),
    clusterResourceNamespace,
    ...(vaultKv === undefined ? {} : { vaultKv }),
    ...(metricsAddress === undefined ? {} : { metricsAddress }),
  });
}

function parseVaultKv(env: NodeJS.ProcessEnv): VaultKvConfig | undefined {
  const server = env.CERTPLANE_VAULT_KV_ADDR?.trim() || undefined;
  if (server === undefined) {
    // A half-configured target would silently publish nowhere.
    const stray = VAULT_KV_SETTINGS.find((name) => env[name]?.trim());
    if (stray !== undefined) {
      throw ValidationError.of(stray, "needsAddress", `${stray} is set but CERTPLANE_VAULT_KV_ADDR is not`);
    }
    return undefined;
  }
  if (!/^https?:\/\/[^/]/.test(server) || !URL.canParse(server)) {
    throw ValidationError.of(
      "CERTPLANE_VAULT_KV_ADDR",
      "url",
      `CERTPLANE_VAULT_KV_ADDR must be an http:// or https:// URL, got "${server}"`,
    );
  }
  const tokenFile = env.CERTPLANE_VAULT_KV_TOKEN_FILE?.trim() || undefined;
  if (tokenFile === undefined) {
    throw ValidationError.of(
      "CERTPLANE_VAULT_KV_TOKEN_FILE",
      "required",
      "CERTPLANE_VAULT_KV_TOKEN_FILE must name the file holding the Vault token for CERTPLANE_VAULT_KV_ADDR",
    );
  }
  const namespace = env.CERTPLANE_VAULT_KV_NAMESPACE?.trim().replace(/^\/+|\/+$/g, "") || undefined;
  return Object.freeze({
    server,
    mount: vaultPath(env, "CERTPLANE_VAULT_KV_MOUNT", "secret"),
    prefix: vaultPath(env, "CERTPLANE_VAULT_KV_PREFIX", "certplane"),
    tokenFile: resolve(tokenFile),
    ...(namespace === undefined ? {} : { namespace }),
  });
}

function vaultPath(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name]?.trim() || fallback;
  if (!VAULT_PATH.test(value) || value.split("/").some((part) => part === "." || part === "..")) {
    throw ValidationError.of(
      name,
      "vaultPath",
      `${name} must be a Vault path of letters, digits, "_", "-" and "." without leading or trailing "/", got "${value}"`,
    );
  }
  return value;
}

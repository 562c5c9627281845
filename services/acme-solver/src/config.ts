import { ValidationError } from "@certplane/domain";
import { parseMetricsAddress } from "@certplane/observability";

export interface AcmeSolverConfig {
  /** host:port of the built-in HTTP-01 responder; "" disables it. */
  readonly http01ListenAddress: string;
  /** cert-manager's --max-concurrent-challenges. */
  readonly maxConcurrentChallenges: number;
  readonly selfCheck: {
    /** host:port to send HTTP-01 self-checks to instead of `<dnsName>:80` (the Host header stays the name). */
    readonly http01Address?: string;
    /** Consecutive successes needed (cert-manager: 5, 2 s apart). */
    readonly requiredSuccesses: number;
    readonly intervalMs: number;
  };
  /** host:port resolvers for DNS-01 propagation checks; empty: the zone's authoritative servers. */
  readonly dns01RecursiveNameservers: readonly string[];
  /** cert-manager's --dns01-recursive-nameservers-only: never ask the authoritative servers directly. */
  readonly dns01RecursiveNameserversOnly: boolean;
  /** Webhook DNS-01 endpoints by `<groupName>/<solverName>` (WEBHOOK.md). */
  readonly dns01Webhooks: Readonly<Record<string, string>>;
  /**
   * The DNS providers' API roots (and the token endpoints of those that take OAuth2): the public
   * clouds' own by default, a stand-in's in tests, a proxy or sovereign endpoint in some deployments.
   */
  readonly dns01ProviderApis: Dns01ProviderApis;
  /** cert-manager's --dns01-check-retry-period. */
  readonly dns01CheckRetryPeriodMs: number;
  /** How often an authorization or order that is still processing is fetched again. */
  readonly pollIntervalMs: number;
  /** Backoff for retryable ACME failures (5xx, network, 429 without Retry-After). */
  readonly retry: { readonly minMs: number; readonly maxMs: number };
  readonly clusterResourceNamespace: string;
  /** `host:port` of the /metrics, /livez and /readyz listener (CERTPLANE_METRICS_ADDRESS); absent: none. */
  readonly metricsAddress?: string;
}

export interface Dns01ProviderApis {
  readonly cloudflare: string;
  readonly digitalocean: string;
  readonly azureManagement: string;
  readonly azureLogin: string;
  readonly googleDns: string;
  readonly googleToken: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw ValidationError.of(name, "integer", `${name} must be an integer ≥ ${min}, got "${raw}"`);
  }
  return value;
}

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[^:\s]*):\d{1,5}$/;

function hostPort(env: Env, name: string, fallback: string): string {
  const value = env[name] ?? fallback;
  if (value !== "" && !HOST_PORT.test(value)) {
    throw ValidationError.of(name, "hostPort", `${name} must be host:port, got "${value}"`);
  }
  return value;
}

function webhooks(env: Env): Readonly<Record<string, string>> {
  const name = "CERTPLANE_ACME_DNS01_WEBHOOKS";
  const raw = env[name];
  if (raw === undefined || raw === "") return Object.freeze({});
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const entries =
    parsed && typeof parsed === "object" && !Array.isArray(parsed) ? Object.entries(parsed) : [];
  const valid = entries.every(
    ([key, url]) => /^[^/\s]+\/[^/\s]+$/.test(key) && typeof url === "string" && URL.canParse(url),
  );
  if (entries.length === 0 || !valid) {
    throw ValidationError.of(
      name,
      "webhookMap",
      `${name} must be a JSON object mapping "<groupName>/<solverName>" to a URL, got ${JSON.stringify(raw)}`,
    );
  }
  return Object.freeze(Object.fromEntries(entries) as Record<string, string>);
}

function url(env: Env, name: string, fallback: string): string {
  const value = env[name] || fallback;
  if (!URL.canParse(value)) throw ValidationError.of(name, "url", `${name} must be a URL, got "${value}"`);
  return value;
}

export function parseAcmeSolverConfig(env: Env): AcmeSolverConfig {
  const nameservers = (env.CERTPLANE_ACME_DNS01_RECURSIVE_NAMESERVERS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const server of nameservers) {
    if (!HOST_PORT.test(server)) {
      throw ValidationError.of(
        "CERTPLANE_ACME_DNS01_RECURSIVE_NAMESERVERS",
        "hostPort",
        `each nameserver must be host:port, got "${server}"`,
      );
    }
  }
  const http01Address = hostPort(env, "CERTPLANE_ACME_HTTP01_SELF_CHECK_ADDRESS", "");
  const retryMinMs = integer(env, "CERTPLANE_ACME_RETRY_MIN_MS", 1000, 1);
  const metricsAddress = parseMetricsAddress(env);
  return Object.freeze({
    http01ListenAddress: hostPort(env, "CERTPLANE_ACME_HTTP01_LISTEN", "0.0.0.0:8089"),
    maxConcurrentChallenges: integer(env, "CERTPLANE_ACME_MAX_CONCURRENT_CHALLENGES", 60, 1),
    selfCheck: Object.freeze({
      ...(http01Address ? { http01Address } : {}),
      requiredSuccesses: integer(env, "CERTPLANE_ACME_SELF_CHECK_SUCCESSES", 5, 1),
      intervalMs: integer(env, "CERTPLANE_ACME_SELF_CHECK_INTERVAL_MS", 2000, 0),
    }),
    dns01RecursiveNameservers: Object.freeze(nameservers),
    dns01RecursiveNameserversOnly: env.CERTPLANE_ACME_DNS01_RECURSIVE_NAMESERVERS_ONLY === "true",
    dns01Webhooks: webhooks(env),
    dns01ProviderApis: Object.freeze({
      cloudflare: url(env, "CERTPLANE_ACME_CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4"),
      digitalocean: url(env, "CERTPLANE_ACME_DIGITALOCEAN_API_URL", "https://api.digitalocean.com"),
      azureManagement: url(env, "CERTPLANE_ACME_AZURE_MANAGEMENT_URL", "https://management.azure.com"),
      azureLogin: url(env, "CERTPLANE_ACME_AZURE_LOGIN_URL", "https://login.microsoftonline.com"),
      googleDns: url(env, "CERTPLANE_ACME_GOOGLE_DNS_URL", "https://dns.googleapis.com"),
      googleToken: url(env, "CERTPLANE_ACME_GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token"),
    }),
    dns01CheckRetryPeriodMs: integer(env, "CERTPLANE_ACME_DNS01_CHECK_RETRY_PERIOD_MS", 10_000, 1),
    pollIntervalMs: integer(env, "CERTPLANE_ACME_POLL_INTERVAL_MS", 1000, 1),
    retry: Object.freeze({
      minMs: retryMinMs,
      maxMs: integer(env, "CERTPLANE_ACME_RETRY_MAX_MS", 60_000, retryMinMs),
    }),
    clusterResourceNamespace: env.CERTPLANE_CLUSTER_RESOURCE_NAMESPACE || "cert-manager",
    ...(metricsAddress === undefined ? {} : { metricsAddress }),
  });
}

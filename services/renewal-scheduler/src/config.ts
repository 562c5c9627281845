import { parseGoDuration, ValidationError } from "@certplane/domain";
import type { BackoffPolicy } from "@certplane/domain/model";
import { parseMetricsAddress } from "@certplane/observability";

export interface RenewalSchedulerConfig {
  /** Failed-issuance backoff (cert-manager's --certificate-request-minimum/maximum-backoff-duration). */
  readonly backoff: BackoffPolicy;
  /** Upper bound of the per-certificate delay that spreads renewals due at the same moment; 0 = none. */
  readonly jitterMaxMs: number;
  /** `host:port` of the /metrics, /livez and /readyz listener (CERTPLANE_METRICS_ADDRESS); absent: none. */
  readonly metricsAddress?: string;
}

function duration(env: NodeJS.ProcessEnv, name: string, fallback: string): number {
  return parseGoDuration(env[name] || fallback, { field: name, allowNegative: false });
}

/**
 * CERTPLANE_RENEWAL_BACKOFF_MIN (default 1h), CERTPLANE_RENEWAL_BACKOFF_MAX (32h) and
 * CERTPLANE_RENEWAL_JITTER (0s), all Go durations; CERTPLANE_METRICS_ADDRESS.
 */
export function parseRenewalSchedulerConfig(env: NodeJS.ProcessEnv): RenewalSchedulerConfig {
  const minMs = duration(env, "CERTPLANE_RENEWAL_BACKOFF_MIN", "1h");
  const maxMs = duration(env, "CERTPLANE_RENEWAL_BACKOFF_MAX", "32h");
  if (maxMs < minMs) {
    throw ValidationError.of(
      "CERTPLANE_RENEWAL_BACKOFF_MAX",
      "notLessThanMin",
      `CERTPLANE_RENEWAL_BACKOFF_MAX (${env.CERTPLANE_RENEWAL_BACKOFF_MAX}) must not be less than CERTPLANE_RENEWAL_BACKOFF_MIN`,
    );
  }
  const metricsAddress = parseMetricsAddress(env);
  return Object.freeze({
    backoff: Object.freeze({ minMs, maxMs }),
    jitterMaxMs: duration(env, "CERTPLANE_RENEWAL_JITTER", "0s"),
    ...(metricsAddress === undefined ? {} : { metricsAddress }),
  });
}

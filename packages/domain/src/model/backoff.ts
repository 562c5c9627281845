// cert-manager's failed-issuance backoff (trigger_controller.go): after the n-th failure the next
// attempt waits min × 2^(n−1), capped at max.

export interface BackoffPolicy {
  readonly minMs: number;
  readonly maxMs: number;
}

export const defaultBackoffPolicy: BackoffPolicy = Object.freeze({ minMs: 3_600_000, maxMs: 32 * 3_600_000 });

export interface FailureRecord {
  readonly attempts: number;
  readonly lastFailureTime: string;
}

/** The wait after `attempts` failures; a non-positive minimum disables backoff. */
export function backoffDelayMs(attempts: number, policy: BackoffPolicy): number {
  if (policy.minMs <= 0) return 0;
  if (attempts <= 1) return Math.min(policy.minMs, policy.maxMs);
  // 2^(n−1) overflows to Infinity for huge n, which the cap absorbs.
  return Math.min(policy.minMs * 2 ** (attempts - 1), policy.maxMs);
}

/** When the next issuance attempt is allowed after a failure. */
export function nextAttemptTime(failure: FailureRecord, policy: BackoffPolicy): Date {
  return new Date(Date.parse(failure.lastFailureTime) + backoffDelayMs(failure.attempts, policy));
}

import { AcmeRequestError } from "./acme-request-error.ts";

export interface RetryPolicy {
  readonly minMs: number;
  readonly maxMs: number;
}

/** Exponential backoff, capped; a server's Retry-After wins when it asks for longer (RFC 8555 §6.6). */
export function retryDelayMs(policy: RetryPolicy, attempt: number, error: unknown): number {
  const backoff = Math.min(policy.maxMs, policy.minMs * 2 ** Math.max(0, attempt - 1));
  const retryAfter = error instanceof AcmeRequestError ? error.retryAfterMs : undefined;
  return retryAfter === undefined ? backoff : Math.max(backoff, retryAfter);
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

export interface ReconnectBackoff {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RECONNECT_BACKOFF: ReconnectBackoff = { initialDelayMs: 250, maxDelayMs: 10_000 };

/**
 * The wait before the next dial grows with the length of the outage: a blip (a server restart)
 * reconnects at once, a long outage does not hammer the server. Jitter spreads many clients out.
 * `jitter` is a number in [0, 1).
 */
export function reconnectDelayMs(outageMs: number, backoff: ReconnectBackoff, jitter: number): number {
  const base = Math.min(backoff.maxDelayMs, Math.max(backoff.initialDelayMs, outageMs / 2));
  return Math.round(base + jitter * backoff.initialDelayMs);
}

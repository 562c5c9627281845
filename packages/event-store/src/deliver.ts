import { setTimeout as sleep } from "node:timers/promises";
import type { RecordedEvent } from "@certplane/domain";
import type { ResolvedSubscribeOptions } from "./subscription-options.ts";

/**
 * Runs the handler until it accepts the event, waiting `retryDelayMs` after each failure, so a
 * subscription never moves past an event it could not handle. False when stopped before acceptance.
 */
export async function deliverUntilAccepted(
  event: RecordedEvent,
  options: ResolvedSubscribeOptions,
  stop: AbortSignal,
): Promise<boolean> {
  for (;;) {
    if (stop.aborted) return false;
    try {
      await options.handler(event);
      return true;
    } catch (error) {
      options.onError?.(error);
    }
    try {
      await sleep(options.retryDelayMs, undefined, { signal: stop });
    } catch {
      return false;
    }
  }
}

/** Resolves after `ms`, or early (without throwing) once `stop` aborts. */
export async function pause(ms: number, stop: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal: stop }).catch(() => undefined);
}

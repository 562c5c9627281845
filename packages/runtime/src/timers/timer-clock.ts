import type { Clock } from "@certplane/domain";

/**
 * A clock that can also wait. The scheduler keeps one armed wait for its earliest due time, so a
 * test drives every renewal by moving a fake clock instead of sleeping.
 */
export interface TimerClock extends Clock {
  /** Resolves at `at` (at once when it has passed) or when `signal` aborts; never rejects. */
  sleepUntil(at: Date, signal: AbortSignal): Promise<void>;
}

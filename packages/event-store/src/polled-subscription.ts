import type { RecordedEvent } from "@certplane/domain";
import { ValidationError } from "@certplane/domain";
import { deliverUntilAccepted, pause } from "./deliver.ts";
import type { Subscription } from "./port.ts";
import type { ResolvedSubscribeOptions } from "./subscription-options.ts";
import { loopSubscription } from "./subscription-set.ts";
import type { WakeSignal } from "./wake-signal.ts";

const PAGE_SIZE = 256;

/** A store whose global positions are increasing integers it can page over (memory, SQLite). */
export interface PolledSource {
  /** Up to `limit` events after `position` in global order, only of `categories` when non-empty. */
  eventsAfter(position: number, categories: readonly string[], limit: number): readonly RecordedEvent[];
  /** How many events come after `position`, only of `categories` when non-empty. */
  countAfter(position: number, categories: readonly string[]): number;
  loadCheckpoint(name: string): number | undefined;
  saveCheckpoint(name: string, position: number): void;
  readonly wake: WakeSignal;
  /** Set when other processes append too: how often to look for their events. */
  readonly pollIntervalMs?: number;
}

export function parseIntegerPosition(position: string, field = "from"): number {
  if (!/^\d{1,15}$/.test(position)) {
    throw ValidationError.of(field, "position", `checkpoint "${position}" is not a position of this store`);
  }
  return Number(position);
}

/** Catches up by paging over positions, then tails, waking on appends (and polling when configured). */
export function startPolledSubscription(
  source: PolledSource,
  options: ResolvedSubscribeOptions,
): Subscription {
  const stored = options.name === undefined ? undefined : source.loadCheckpoint(options.name);
  const initial = options.from === "start" ? 0 : parseIntegerPosition(options.from.after);
  let after = stored ?? initial;
  return loopSubscription(
    async (stop) => {
      let caughtUp = false;
      while (!stop.aborted) {
        const seen = source.wake.generation;
        let page: readonly RecordedEvent[];
        try {
          page = source.eventsAfter(after, options.categories, PAGE_SIZE);
        } catch (error) {
          options.onError?.(error);
          await pause(options.retryDelayMs, stop);
          continue;
        }
        for (const event of page) {
          if (!(await deliverUntilAccepted(event, options, stop))) return;
          after = Number(event.position);
          // A lost checkpoint write only means redelivery after a restart (at-least-once), so go on.
          if (options.name !== undefined) {
            try {
              source.saveCheckpoint(options.name, after);
            } catch (error) {
              options.onError?.(error);
            }
          }
        }
        if (page.length < PAGE_SIZE) {
          if (!caughtUp) {
            caughtUp = true;
            options.onCaughtUp?.();
          }
          await source.wake.wait(seen, stop, source.pollIntervalMs);
        }
      }
    },
    async () => source.countAfter(after, options.categories),
  );
}

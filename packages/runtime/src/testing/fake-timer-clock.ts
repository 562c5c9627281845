import type { TimerClock } from "../timers/timer-clock.ts";

interface Sleeper {
  readonly at: number;
  readonly resolve: () => void;
}

/** Time moves only on `advance`/`set`; every sleeper whose time has come is woken then. */
export class FakeTimerClock implements TimerClock {
  #nowMs: number;
  readonly #sleepers = new Set<Sleeper>();

  constructor(start: Date | string = "2026-01-01T00:00:00Z") {
    this.#nowMs = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#nowMs);
  }

  sleepUntil(at: Date, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal.aborted || at.getTime() <= this.#nowMs) return resolve();
      const sleeper: Sleeper = {
        at: at.getTime(),
        resolve: () => {
          this.#sleepers.delete(sleeper);
          // A waiter that sleeps again and again on one signal (a retry loop) must not pile up listeners on it.
          signal.removeEventListener("abort", sleeper.resolve);
          resolve();
        },
      };
      this.#sleepers.add(sleeper);
      signal.addEventListener("abort", sleeper.resolve, { once: true });
    });
  }

  advance(ms: number): Date {
    return this.set(new Date(this.#nowMs + ms));
  }

  set(to: Date | string): Date {
    this.#nowMs = new Date(to).getTime();
    for (const sleeper of [...this.#sleepers]) if (sleeper.at <= this.#nowMs) sleeper.resolve();
    return this.now();
  }

  /** The earliest armed wait, so a test knows when the scheduler means to wake next. */
  get armedAt(): string | undefined {
    const times = [...this.#sleepers].map((s) => s.at);
    return times.length === 0 ? undefined : new Date(Math.min(...times)).toISOString();
  }

  /** How many waits are armed: the scheduler keeps at most one, whatever it tracks. */
  get pendingSleeps(): number {
    return this.#sleepers.size;
  }
}

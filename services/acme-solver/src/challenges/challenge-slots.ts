import type { ChallengeLimiter, ChallengePermit, ChallengeToRun } from "./challenge-limiter.ts";

/**
 * cert-manager's challenge scheduler: at most `max` challenges in flight, oldest first, and never
 * two for the same name and type at once (they would publish into the same TXT name or token path).
 */
interface Waiter {
  readonly key: string;
  readonly grant: (permit: ChallengePermit) => void;
}

/** Nothing in one process takes a permit away. */
const neverLost = new AbortController().signal;

export class ChallengeSlots implements ChallengeLimiter {
  readonly #max: number;
  readonly #busy = new Set<string>();
  readonly #waiting: Waiter[] = [];

  constructor(max: number) {
    this.#max = max;
  }

  acquire(challenge: ChallengeToRun, signal: AbortSignal): Promise<ChallengePermit | undefined> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(undefined);
      const entry = { key: `${challenge.type}/${challenge.dnsName}`, grant: resolve };
      this.#waiting.push(entry);
      signal.addEventListener(
        "abort",
        () => {
          const index = this.#waiting.indexOf(entry);
          if (index >= 0) {
            this.#waiting.splice(index, 1);
            resolve(undefined);
          }
        },
        { once: true },
      );
      this.#dispatch();
    });
  }

  #dispatch(): void {
    for (let i = 0; i < this.#waiting.length && this.#busy.size < this.#max; ) {
      const entry = this.#waiting[i] as Waiter;
      if (this.#busy.has(entry.key)) {
        i++;
        continue;
      }
      this.#waiting.splice(i, 1);
      this.#busy.add(entry.key);
      let released = false;
      entry.grant({
        lost: neverLost,
        release: async () => {
          if (released) return;
          released = true;
          this.#busy.delete(entry.key);
          this.#dispatch();
        },
      });
    }
  }
}

/**
 * Wakes tailing subscriptions when an append lands. The generation counter closes the gap between
 * "read found nothing new" and "start waiting": a wait that starts after a missed notify returns at once.
 */
export class WakeSignal {
  #generation = 0;
  #waiters = new Set<() => void>();

  get generation(): number {
    return this.#generation;
  }

  notify(): void {
    this.#generation++;
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  /** Resolves on the next notify after `seen`, after `timeoutMs` (if given), or when `stop` aborts. */
  wait(seen: number, stop: AbortSignal, timeoutMs?: number): Promise<void> {
    if (this.#generation !== seen || stop.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stop.removeEventListener("abort", done);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
      stop.addEventListener("abort", done, { once: true });
      this.#waiters.add(done);
    });
  }
}

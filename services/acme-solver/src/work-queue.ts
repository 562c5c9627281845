import { isCertplaneError } from "@certplane/domain";
import type { Logger } from "@certplane/runtime";
import type { RetryPolicy } from "./retry-policy.ts";
import { retryDelayMs } from "./retry-policy.ts";

/** What a reconcile asks for next: nothing (an event will wake it), or another look after a delay. */
export type ReconcileResult = { readonly requeueAfterMs: number } | undefined;

/**
 * Kubernetes' controller work queue in small: a key is processed by one worker at a time, a key
 * added while it runs is processed once more afterwards, failures are retried with backoff.
 */
export class WorkQueue {
  readonly #reconcile: (key: string) => Promise<ReconcileResult>;
  readonly #concurrency: number;
  readonly #retry: RetryPolicy;
  readonly #logger: Logger;
  readonly #owns: (key: string) => boolean;
  readonly #queued: string[] = [];
  readonly #queuedSet = new Set<string>();
  readonly #running = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #idle = new Set<() => void>();
  #stopped = false;

  constructor(options: {
    reconcile: (key: string) => Promise<ReconcileResult>;
    concurrency: number;
    retry: RetryPolicy;
    logger: Logger;
    /**
     * Whether this process may work `key` now (instances sharing the work); asked when it is added
     * and again when its turn comes, since the key's partition may have moved meanwhile.
     */
    owns?: (key: string) => boolean;
  }) {
    this.#reconcile = options.reconcile;
    this.#concurrency = options.concurrency;
    this.#retry = options.retry;
    this.#logger = options.logger;
    this.#owns = options.owns ?? (() => true);
  }

  add(key: string): void {
    if (this.#stopped || !this.#owns(key)) return;
    if (this.#running.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#queuedSet.has(key)) return;
    this.#queuedSet.add(key);
    this.#queued.push(key);
    this.#pump();
  }

  addAfter(key: string, delayMs: number): void {
    if (this.#stopped) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.add(key);
    }, delayMs);
    this.#timers.add(timer);
  }

  /** Stops taking work and waits for running reconciles to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#queued.length = 0;
    this.#queuedSet.clear();
    if (this.#running.size === 0) return;
    await new Promise<void>((resolve) => this.#idle.add(resolve));
  }

  #pump(): void {
    while (!this.#stopped && this.#running.size < this.#concurrency && this.#queued.length > 0) {
      const key = this.#queued.shift() as string;
      this.#queuedSet.delete(key);
      this.#running.add(key);
      void this.#process(key);
    }
  }

  async #process(key: string): Promise<void> {
    try {
      const result = this.#owns(key) ? await this.#reconcile(key) : undefined;
      this.#failures.delete(key);
      if (result) this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      const attempt = (this.#failures.get(key) ?? 0) + 1;
      this.#failures.set(key, attempt);
      const retryable = isCertplaneError(error) && error.retryable;
      const delay = retryDelayMs(this.#retry, attempt, error);
      (retryable ? this.#logger.warn : this.#logger.error).call(
        this.#logger,
        "reconcile failed, will retry",
        {
          key,
          attempt,
          delayMs: delay,
          error,
        },
      );
      this.addAfter(key, delay);
    } finally {
      this.#running.delete(key);
      if (this.#dirty.delete(key)) this.add(key);
      if (this.#running.size === 0) {
        for (const resolve of this.#idle) resolve();
        this.#idle.clear();
      }
      this.#pump();
    }
  }
}

import type { AllStreamSubscription } from "@eventstore/db-client";

/**
 * Calls onCaughtUp once the events that came before the server's CaughtUp message are handled. The
 * client emits "caughtUp" as soon as it reads that message, while earlier events may still sit in
 * the subscription's buffer or in a handler (a durable subscription saves a checkpoint per event),
 * so the signal waits for the events taken so far plus those still buffered.
 */
export class CaughtUpSignal {
  readonly #onCaughtUp: () => void;
  #fired = false;
  #current: AllStreamSubscription | undefined;
  #taken = 0;
  #handled = 0;
  #target: number | undefined;

  constructor(onCaughtUp: () => void) {
    this.#onCaughtUp = onCaughtUp;
  }

  /** Counts afresh for a new client subscription (a resubscription sends its own CaughtUp). */
  follow(subscription: AllStreamSubscription): void {
    this.#current = subscription;
    this.#taken = 0;
    this.#handled = 0;
    this.#target = undefined;
    subscription.once("caughtUp", () => {
      if (subscription !== this.#current) return;
      this.#target = this.#taken + subscription.readableLength;
      this.#check();
    });
  }

  /** An event was taken from the subscription. */
  taken(): void {
    this.#taken++;
  }

  /** The event taken last is delivered or skipped. */
  handled(): void {
    this.#handled++;
    this.#check();
  }

  #check(): void {
    if (this.#fired || this.#target === undefined || this.#handled < this.#target) return;
    this.#fired = true;
    this.#onCaughtUp();
  }
}

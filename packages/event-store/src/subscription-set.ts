import type { Subscription } from "./port.ts";

/** A subscription driven by one async loop; stop() aborts it and waits for the loop to end. */
export function loopSubscription(
  run: (stop: AbortSignal) => Promise<void>,
  pending?: () => Promise<number>,
): Subscription {
  const controller = new AbortController();
  const done = run(controller.signal);
  return {
    async stop() {
      controller.abort();
      await done;
    },
    ...(pending === undefined ? {} : { pending }),
  };
}

/** The live subscriptions of one store instance, so close() can stop them all. */
export class SubscriptionSet {
  #live = new Set<Subscription>();

  track(subscription: Subscription): Subscription {
    const tracked: Subscription = {
      stop: async () => {
        this.#live.delete(tracked);
        await subscription.stop();
      },
      ...(subscription.pending === undefined ? {} : { pending: subscription.pending }),
    };
    this.#live.add(tracked);
    return tracked;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#live].map((subscription) => subscription.stop()));
  }
}

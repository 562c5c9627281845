import type { EventStore, SubscribeOptions, Subscription } from "./port.ts";

/**
 * Subscribes and resolves once the subscription has delivered everything stored when it started
 * (it keeps delivering afterwards): what every read model waits for before it answers. Errors the
 * subscription reports go to `onError` and are retried by it, as with `subscribe`.
 */
export async function subscribeCaughtUp(
  store: EventStore,
  options: Omit<SubscribeOptions, "onCaughtUp">,
): Promise<Subscription> {
  let caughtUp!: () => void;
  const ready = new Promise<void>((resolve) => {
    caughtUp = resolve;
  });
  const subscription = await store.subscribe({ ...options, onCaughtUp: () => caughtUp() });
  await ready;
  return subscription;
}

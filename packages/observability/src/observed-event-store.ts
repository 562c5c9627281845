// An EventStore decorator that counts what a process appends and watches its subscriptions, so the
// metrics and readiness need no hook in any adapter or reactor. Per event it does a few assignments
// and one counter increment: nothing on the hot path waits for it.
import type { ExpectedVersion, NewEvent } from "@certplane/domain";
import type {
  AppendResult,
  EventStore,
  StreamRead,
  SubscribeOptions,
  Subscription,
} from "@certplane/event-store";
import type { SubscriptionTracker } from "./subscription-tracker.ts";

/** Called after every commit the store accepted as new (not a retried duplicate). */
export type AppendListener = (stream: string, events: readonly NewEvent[]) => void;

/** Counts each durable (reactor) subscription's handler calls, as cert-manager counts sync() calls. */
export interface SyncCounter {
  call(controller: string): void;
  error(controller: string): void;
}

export interface ObservedEventStoreOptions {
  readonly tracker: SubscriptionTracker;
  readonly sync: SyncCounter;
  readonly onAppended: readonly AppendListener[];
}

export class ObservedEventStore implements EventStore {
  readonly #inner: EventStore;
  readonly #options: ObservedEventStoreOptions;

  constructor(inner: EventStore, options: ObservedEventStoreOptions) {
    this.#inner = inner;
    this.#options = options;
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    const result = await this.#inner.append(stream, events, expected);
    if (!result.duplicate) for (const listener of this.#options.onAppended) listener(stream, events);
    return result;
  }

  read(stream: string): Promise<StreamRead> {
    return this.#inner.read(stream);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const { tracker, sync } = this.#options;
    const { name } = options;
    const probe = tracker.track(name, options.categories ?? []);
    let subscription: Subscription;
    try {
      subscription = await this.#inner.subscribe({
        ...options,
        onCaughtUp: () => {
          probe.caughtUp();
          options.onCaughtUp?.();
        },
        handler: async (event) => {
          probe.delivered(event);
          if (name !== undefined) sync.call(name);
          try {
            await options.handler(event);
          } catch (error) {
            if (name !== undefined) sync.error(name);
            throw error;
          }
          probe.accepted();
        },
      });
    } catch (error) {
      probe.stopped();
      throw error;
    }
    probe.opened(subscription.pending?.bind(subscription));
    return {
      async stop() {
        probe.stopped();
        await subscription.stop();
      },
      ...(subscription.pending === undefined ? {} : { pending: () => subscription.pending!() }),
    };
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

// What a process knows about each of its store subscriptions, for readiness and the lag gauges:
// whether it has caught up with what was stored when it started, and which event it is on.
import type { Clock, RecordedEvent } from "@certplane/domain";

export interface TrackedSubscription {
  /** The durable name of a reactor's subscription; read models subscribe without one. */
  readonly name: string | undefined;
  readonly categories: readonly string[];
  readonly caughtUp: boolean;
  /** When the oldest event handed to the handler and not yet accepted was recorded (ISO 8601). */
  readonly behindSince: string | undefined;
  /** The store's count of what it holds for this subscription and has not delivered, where it has one. */
  readonly pending: (() => Promise<number>) | undefined;
}

interface MutableSubscription {
  readonly name: string | undefined;
  readonly categories: readonly string[];
  caughtUp: boolean;
  behindSince: string | undefined;
  pending: (() => Promise<number>) | undefined;
}

export interface SubscriptionProbe {
  /** The subscription the store made, once it has: its backlog count, when it offers one. */
  opened(pending: (() => Promise<number>) | undefined): void;
  delivered(event: RecordedEvent): void;
  accepted(): void;
  caughtUp(): void;
  stopped(): void;
}

export class SubscriptionTracker {
  readonly #subscriptions = new Set<MutableSubscription>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  track(name: string | undefined, categories: readonly string[]): SubscriptionProbe {
    const entry: MutableSubscription = {
      name,
      categories,
      caughtUp: false,
      behindSince: undefined,
      pending: undefined,
    };
    this.#subscriptions.add(entry);
    return {
      opened: (pending) => {
        entry.pending = pending;
      },
      // A failed handler leaves the time set: the same event comes again, so the lag keeps growing.
      // Kept as the event's string: it is parsed only when someone asks (a scrape, a /readyz).
      delivered: (event) => {
        entry.behindSince ??= event.recordedAt;
      },
      accepted: () => {
        entry.behindSince = undefined;
      },
      caughtUp: () => {
        entry.caughtUp = true;
      },
      stopped: () => {
        this.#subscriptions.delete(entry);
      },
    };
  }

  list(): readonly TrackedSubscription[] {
    return [...this.#subscriptions];
  }

  /** Seconds the subscription has been on an event it has not accepted; 0 when it is idle. */
  lagSeconds(subscription: TrackedSubscription): number {
    if (subscription.behindSince === undefined) return 0;
    return Math.max(0, (this.#clock.now().getTime() - Date.parse(subscription.behindSince)) / 1000);
  }
}

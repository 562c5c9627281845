import type { ExpectedVersion, NewEvent, ServiceName } from "@certplane/domain";
import { categoriesOwnedBy, eventCategories, OwnershipError } from "@certplane/domain";
import type { StreamCategory } from "@certplane/domain/model";
import { parseStreamName } from "@certplane/domain/model";
import type {
  AppendResult,
  EventStore,
  StreamRead,
  SubscribeOptions,
  Subscription,
} from "@certplane/event-store";

/**
 * A service's handle on the shared store: it reads everything, appends only to the categories the
 * owner table gives the service (and only their event types), and stamps every event it appends
 * with `metadata.producer` (and `metadata.instance`, the process among the service's instances).
 * This is where "one writer per stream category" is enforced.
 */
export class OwnedEventStore implements EventStore {
  readonly #store: EventStore;
  readonly #producer: ServiceName;
  readonly #owned: ReadonlySet<StreamCategory>;
  readonly #stamp: { readonly producer: ServiceName; readonly instance?: string };

  constructor(store: EventStore, producer: ServiceName, instance?: string) {
    this.#store = store;
    this.#producer = producer;
    this.#stamp = instance === undefined ? { producer } : { producer, instance };
    this.#owned = new Set(categoriesOwnedBy(producer));
  }

  get producer(): ServiceName {
    return this.#producer;
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    const { category } = parseStreamName(stream);
    if (!this.#owned.has(category)) {
      throw new OwnershipError(
        `${this.#producer} may not append to ${stream}: category "${category}" has another owner (see ARCHITECTURE.md)`,
      );
    }
    for (const event of events) {
      const allowed = eventCategories[event.type as keyof typeof eventCategories] as
        | readonly StreamCategory[]
        | undefined;
      if (!allowed?.includes(category)) {
        throw new OwnershipError(`event type ${event.type} does not belong in a "${category}" stream`);
      }
    }
    return await this.#store.append(
      stream,
      events.map((event) => ({ ...event, metadata: { ...event.metadata, ...this.#stamp } })),
      expected,
    );
  }

  read(stream: string): Promise<StreamRead> {
    return this.#store.read(stream);
  }

  subscribe(options: SubscribeOptions): Promise<Subscription> {
    return this.#store.subscribe(options);
  }

  /** The shared store belongs to whoever opened it; a service's handle never closes it. */
  async close(): Promise<void> {}
}

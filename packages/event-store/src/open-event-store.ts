import type { Clock } from "@certplane/domain";
import { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from "./eventstoredb-event-store.ts";
import { JetStreamEventStore, type JetStreamEventStoreOptions } from "./jetstream-event-store.ts";
import { MemoryEventStore } from "./memory-event-store.ts";
import type { EventStore } from "./port.ts";
import { SqliteEventStore, type SqliteEventStoreOptions } from "./sqlite-event-store.ts";

/** Which adapter to open, with its settings; parsed from configuration once, at the composition root. */
export type EventStoreConfig =
  | { readonly kind: "memory"; readonly clock?: Clock }
  | ({ readonly kind: "sqlite" } & SqliteEventStoreOptions)
  | ({ readonly kind: "jetstream" } & JetStreamEventStoreOptions)
  | ({ readonly kind: "eventstoredb" } & EventStoreDbEventStoreOptions);

export type EventStoreKind = EventStoreConfig["kind"];

export async function openEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.kind) {
    case "memory":
      return new MemoryEventStore(config.clock === undefined ? {} : { clock: config.clock });
    case "sqlite":
      return new SqliteEventStore(config);
    case "jetstream":
      return await JetStreamEventStore.connect(config);
    case "eventstoredb":
      return new EventStoreDbEventStore(config);
  }
}

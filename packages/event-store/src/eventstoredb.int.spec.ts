import { randomUUID } from "node:crypto";
import { eventStoreContract } from "./contract/index.ts";
import { EventStoreDbEventStore } from "./eventstoredb-event-store.ts";

const url = process.env.EVENTSTORE_URL;

eventStoreContract({
  adapter: "eventstoredb",
  ...(url === undefined ? { skip: "EVENTSTORE_URL is not set: no EventStoreDB server on this machine" } : {}),
  // A namespace per fixture keeps tests (and earlier runs against the same server) apart.
  fixture: async () => {
    const namespace = `t${randomUUID().replaceAll("-", "")}`;
    return {
      open: async () => new EventStoreDbEventStore({ connectionString: url!, namespace }),
      dispose: async () => undefined,
    };
  },
});

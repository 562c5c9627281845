import { eventStoreContract } from "./contract/index.ts";
import { MemoryEventLog, MemoryEventStore } from "./memory-event-store.ts";

eventStoreContract({
  adapter: "memory",
  fixture: async () => {
    const log = new MemoryEventLog();
    return { open: async () => new MemoryEventStore({ log }), dispose: async () => undefined };
  },
});

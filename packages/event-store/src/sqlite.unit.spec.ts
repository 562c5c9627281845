import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventStoreContract } from "./contract/index.ts";
import { SqliteEventStore } from "./sqlite-event-store.ts";

eventStoreContract({
  adapter: "sqlite",
  fixture: async () => {
    const dir = await mkdtemp(join(tmpdir(), "certplane-es-sqlite-"));
    const path = join(dir, "events.db");
    return {
      // A short poll keeps cross-instance tests quick; same-instance appends wake subscribers at once.
      open: async () => new SqliteEventStore({ path, pollIntervalMs: 20, synchronous: "NORMAL" }),
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  },
});

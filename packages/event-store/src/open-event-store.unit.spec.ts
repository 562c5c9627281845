import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FakeClock } from "@certplane/testing";
import { newEvent } from "./contract/index.ts";
import { MemoryEventStore } from "./memory-event-store.ts";
import { openEventStore } from "./open-event-store.ts";
import { SqliteEventStore } from "./sqlite-event-store.ts";

test("openEventStore picks the adapter from the config kind and passes the clock on", async () => {
  const clock = new FakeClock("2026-03-01T12:00:00Z");
  const memory = await openEventStore({ kind: "memory", clock });
  assert.ok(memory instanceof MemoryEventStore);
  await memory.append("issuer-a", [newEvent("IssuerReady")], "no_stream");
  assert.equal((await memory.read("issuer-a")).events[0]!.recordedAt, "2026-03-01T12:00:00.000Z");
  await memory.close();

  const dir = await mkdtemp(join(tmpdir(), "certplane-es-open-"));
  try {
    const sqlite = await openEventStore({ kind: "sqlite", path: join(dir, "e.db"), clock });
    assert.ok(sqlite instanceof SqliteEventStore);
    await sqlite.append("issuer-a", [newEvent("IssuerReady")], "no_stream");
    assert.equal((await sqlite.read("issuer-a")).events[0]!.recordedAt, "2026-03-01T12:00:00.000Z");
    await sqlite.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

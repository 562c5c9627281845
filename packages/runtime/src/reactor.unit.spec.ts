import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RecordedEvent } from "@certplane/domain";
import { TransientError } from "@certplane/domain";
import { MemoryEventStore } from "@certplane/event-store";
import { silentLogger } from "./logger.ts";
import { startReactor } from "./reactor.ts";

const metadata = { correlationId: "c", causationId: "c", actor: "t", occurredAt: "2026-01-01T00:00:00Z" };

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("startReactor", () => {
  it("retries a transient failure until it passes, then goes on in order", async () => {
    const store = new MemoryEventStore();
    for (const id of ["a", "b"]) {
      await store.append(
        `thing-${id}`,
        [{ id, type: "T", schemaVersion: 1, data: {}, metadata }],
        "no_stream",
      );
    }
    const seen: string[] = [];
    let failures = 2;
    const sub = await startReactor(store, {
      name: "retrying",
      categories: ["thing"],
      logger: silentLogger,
      retryDelayMs: 1,
      handle: async (event: RecordedEvent) => {
        if (event.id === "a" && failures-- > 0) throw new TransientError("try again");
        seen.push(event.id);
      },
    });
    await until(() => seen.length === 2);
    await sub.stop();
    assert.deepEqual(seen, ["a", "b"]);
  });

  it("skips an event that keeps failing for a non-retryable reason, so one bad event cannot stop the service", async () => {
    const store = new MemoryEventStore();
    for (const id of ["bad", "good"]) {
      await store.append(
        `thing-${id}`,
        [{ id, type: "T", schemaVersion: 1, data: {}, metadata }],
        "no_stream",
      );
    }
    let attempts = 0;
    const seen: string[] = [];
    const sub = await startReactor(store, {
      name: "skipping",
      categories: ["thing"],
      logger: silentLogger,
      retryDelayMs: 1,
      maxAttempts: 3,
      handle: async (event: RecordedEvent) => {
        if (event.id === "bad") {
          attempts++;
          throw new Error("bug");
        }
        seen.push(event.id);
      },
    });
    await until(() => seen.length === 1);
    await sub.stop();
    assert.equal(attempts, 3);
    assert.deepEqual(seen, ["good"]);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RecordedEvent } from "@certplane/domain";
import { TransientError } from "@certplane/domain";
import { MemoryEventStore } from "@certplane/event-store";
import { pollUntil } from "@certplane/testing";
import { silentLogger } from "./logger.ts";
import { startReactor } from "./reactor.ts";

const metadata = { correlationId: "c", causationId: "c", actor: "t", occurredAt: "2026-01-01T00:00:00Z" };

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
      onGiveUp: async () => assert.fail("a transient failure is never given up on"),
      handle: async (event: RecordedEvent) => {
        if (event.id === "a" && failures-- > 0) throw new TransientError("try again");
        seen.push(event.id);
      },
    });
    await pollUntil(() => seen.length === 2, { what: "both events to be handled" });
    await sub.stop();
    assert.deepEqual(seen, ["a", "b"]);
  });

  it("records the failure of an event that keeps failing for a non-retryable reason, then goes on", async () => {
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
    const recorded: string[] = [];
    const sub = await startReactor(store, {
      name: "skipping",
      categories: ["thing"],
      logger: silentLogger,
      retryDelayMs: 1,
      maxAttempts: 3,
      onGiveUp: async (event, error) => {
        recorded.push(`${event.id}: ${(error as Error).message}`);
      },
      handle: async (event: RecordedEvent) => {
        if (event.id === "bad") {
          attempts++;
          throw new Error("bug");
        }
        seen.push(event.id);
      },
    });
    await pollUntil(() => seen.length === 1, { what: "the good event to be handled" });
    await sub.stop();
    assert.equal(attempts, 3);
    assert.deepEqual(seen, ["good"]);
    assert.deepEqual(recorded, ["bad: bug"]);
  });

  it("keeps retrying an event whose failure cannot be recorded: nothing is skipped silently", async () => {
    const store = new MemoryEventStore();
    await store.append(
      "thing-bad",
      [{ id: "bad", type: "T", schemaVersion: 1, data: {}, metadata }],
      "no_stream",
    );
    let attempts = 0;
    let recordAttempts = 0;
    const sub = await startReactor(store, {
      name: "unrecordable",
      categories: ["thing"],
      logger: silentLogger,
      retryDelayMs: 1,
      maxAttempts: 2,
      onGiveUp: async () => {
        recordAttempts++;
        throw new Error("store down");
      },
      handle: async () => {
        attempts++;
        throw new Error("bug");
      },
    });
    await pollUntil(() => recordAttempts >= 2, { what: "a second attempt to record the failure" });
    await sub.stop();
    assert.ok(attempts > 2, `the event was delivered again (${attempts} attempts)`);
  });
});

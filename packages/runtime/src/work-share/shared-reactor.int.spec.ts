// Two instances sharing a reactor over a real nats-server: events in JetStream, checkpoints and
// leases in its KV buckets, each instance on its own connection as a separate process would be.
// The lease clock is the injected one, so handover is driven, not waited for.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { RecordedEvent } from "@certplane/domain";
import { JetStreamEventStore } from "@certplane/event-store";
import { type NatsServerHandle, pollUntil, startNatsServer } from "@certplane/testing";
import { silentLogger } from "../logger.ts";
import { FakeTimerClock } from "../testing/fake-timer-clock.ts";
import { type PartitionLeases, startPartitionLeases } from "./partition-leases.ts";
import { startSharedReactor } from "./shared-reactor.ts";

const metadata = { correlationId: "c", causationId: "c", actor: "t", occurredAt: "2026-01-01T00:00:00Z" };
const TTL = 15_000;

describe("a reactor shared by two instances over JetStream", () => {
  let server: NatsServerHandle;
  before(async () => {
    server = await startNatsServer();
  });
  after(async () => {
    await server?.dispose();
  });

  it("handles every event once, by one instance per stream, and hands over when an instance dies", async () => {
    const options = { servers: server.url, streamName: "SHARED_EVENTS", subjectPrefix: "shared" };
    const [storeA, storeB, writer] = await Promise.all(
      [1, 2, 3].map(() => JetStreamEventStore.connect(options)),
    );
    const clock = new FakeTimerClock();
    const handled: { instance: string; event: RecordedEvent }[] = [];
    const start = async (instance: string, store: JetStreamEventStore) => {
      const share = await startPartitionLeases({
        leases: await store.leases(),
        group: "signer",
        instance,
        partitions: 4,
        clock,
        ttlMs: TTL,
        logger: silentLogger,
      });
      await startSharedReactor(
        store,
        {
          name: "issuing",
          categories: ["certificate"],
          logger: silentLogger,
          retryDelayMs: 10,
          onGiveUp: async () => assert.fail("nothing fails here"),
          handle: async (event) => {
            handled.push({ instance, event });
          },
        },
        share,
      );
      return share;
    };
    const appendAndWait = async (count: number) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const event = { id: randomUUID(), type: "Applied", schemaVersion: 1, data: {}, metadata };
        await writer!.append(`certificate-${randomUUID()}`, [event], "no_stream");
        ids.push(event.id);
      }
      await pollUntil(() => ids.every((id) => handled.some((h) => h.event.id === id)), {
        what: `${count} events handled`,
        timeoutMs: 15_000,
      });
      return handled.filter((h) => ids.includes(h.event.id));
    };
    let a: PartitionLeases | undefined;
    let b: PartitionLeases | undefined;
    try {
      a = await start("a", storeA!);
      b = await start("b", storeB!);
      await a.rebalance();
      await b.rebalance();
      assert.equal(a.held().length, 2);
      assert.equal(b.held().length, 2);
      const shared = await appendAndWait(24);
      assert.equal(new Set(shared.map((h) => h.event.id)).size, shared.length, "each event once");
      assert.ok(shared.some((h) => h.instance === "a") && shared.some((h) => h.instance === "b"));

      // a's process dies: its connection goes without a word, its leases stay until they run out.
      await storeA!.close();
      clock.advance(TTL + 1);
      await b.rebalance();
      assert.deepEqual(b.held(), [0, 1, 2, 3]);
      const after = await appendAndWait(12);
      assert.ok(
        after.every((h) => h.instance === "b"),
        "b handles everything now",
      );
      assert.equal(new Set(after.map((h) => h.event.id)).size, after.length, "each event once");
    } finally {
      await Promise.allSettled([a?.stop(), b?.stop()]);
      await Promise.allSettled([storeA, storeB, writer].map((store) => store?.close()));
    }
  });
});

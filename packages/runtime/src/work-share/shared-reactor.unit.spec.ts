import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { RecordedEvent } from "@certplane/domain";
import { type LeaseStore, MemoryEventStore, MemoryLeaseStore } from "@certplane/event-store";
import { pollUntil } from "@certplane/testing";
import { silentLogger } from "../logger.ts";
import { FakeTimerClock } from "../testing/fake-timer-clock.ts";
import { type PartitionLeases, startPartitionLeases } from "./partition-leases.ts";
import { startSharedReactor } from "./shared-reactor.ts";

const metadata = { correlationId: "c", causationId: "c", actor: "t", occurredAt: "2026-01-01T00:00:00Z" };
const TTL = 15_000;
const PARTITIONS = 8;

/** A lease store that can be cut off, as an instance partitioned from NATS is. */
class Unreachable implements LeaseStore {
  cut = false;
  constructor(readonly inner: LeaseStore) {}
  #check() {
    if (this.cut) throw new Error("lease store unreachable");
  }
  async acquire(...args: Parameters<LeaseStore["acquire"]>) {
    this.#check();
    return this.inner.acquire(...args);
  }
  async renew(...args: Parameters<LeaseStore["renew"]>) {
    this.#check();
    return this.inner.renew(...args);
  }
  async release(...args: Parameters<LeaseStore["release"]>) {
    this.#check();
    return this.inner.release(...args);
  }
  async list(...args: Parameters<LeaseStore["list"]>) {
    this.#check();
    return this.inner.list(...args);
  }
}

describe("a reactor shared by instances through partition leases", () => {
  let store: MemoryEventStore;
  let leases: MemoryLeaseStore;
  let clock: FakeTimerClock;
  const handled: { instance: string; event: RecordedEvent }[] = [];
  /** One instance: its partition leases and the reactor that follows them. */
  interface Instance extends Pick<PartitionLeases, "held" | "rebalance"> {
    stop(): Promise<void>;
  }
  const running: Instance[] = [];

  beforeEach(() => {
    store = new MemoryEventStore();
    leases = new MemoryLeaseStore();
    clock = new FakeTimerClock();
    handled.length = 0;
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((reactor) => reactor.stop()));
  });

  const start = async (instance: string, leaseStore: LeaseStore = leases): Promise<Instance> => {
    const share = await startPartitionLeases({
      leases: leaseStore,
      group: "signer",
      instance,
      partitions: PARTITIONS,
      clock,
      ttlMs: TTL,
      logger: silentLogger,
    });
    const reactor = await startSharedReactor(
      store,
      {
        name: "issuing",
        categories: ["certificate"],
        logger: silentLogger,
        retryDelayMs: 1,
        onGiveUp: async () => assert.fail("nothing fails here"),
        handle: async (event) => {
          handled.push({ instance, event });
        },
      },
      share,
    );
    const instanceHandle: Instance = {
      held: share.held,
      rebalance: share.rebalance,
      async stop() {
        await reactor.stop();
        await share.stop();
      },
    };
    running.push(instanceHandle);
    return instanceHandle;
  };

  /** Two events on each of `count` new streams; resolves once every one of them is handled. */
  const appendAndWait = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const events = ["Applied", "Issued"].map((type) => ({
        id: randomUUID(),
        type,
        schemaVersion: 1,
        data: {},
        metadata,
      }));
      await store.append(`certificate-${randomUUID()}`, events, "no_stream");
      ids.push(...events.map((event) => event.id));
    }
    await pollUntil(() => ids.every((id) => handled.some((h) => h.event.id === id)), {
      what: `${ids.length} events to be handled`,
    });
    return handled.filter((h) => ids.includes(h.event.id));
  };

  const assertOncePerEventOneInstancePerStream = (
    seen: readonly { instance: string; event: RecordedEvent }[],
  ) => {
    const ids = seen.map((h) => h.event.id);
    assert.equal(new Set(ids).size, ids.length, "every event handled exactly once");
    const owners = new Map<string, Set<string>>();
    for (const { instance, event } of seen)
      owners.set(event.stream, (owners.get(event.stream) ?? new Set()).add(instance));
    for (const [stream, instances] of owners)
      assert.equal(instances.size, 1, `${stream} handled by one instance`);
  };

  it("splits the partitions evenly between two instances, and each event is handled once", async () => {
    const a = await start("a");
    assert.deepEqual(a.held(), [0, 1, 2, 3, 4, 5, 6, 7], "alone, a holds everything");
    const b = await start("b");
    await a.rebalance();
    await b.rebalance();
    assert.equal(a.held().length, 4);
    assert.equal(b.held().length, 4);
    assert.deepEqual([...a.held(), ...b.held()].sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
    const seen = await appendAndWait(40);
    assertOncePerEventOneInstancePerStream(seen);
    assert.ok(seen.some((h) => h.instance === "a") && seen.some((h) => h.instance === "b"), "both did work");
  });

  it("takes over the partitions of an instance that stops renewing, once its leases run out, and never both at once", async () => {
    const cutOff = new Unreachable(leases);
    const a = await start("a", cutOff);
    const b = await start("b");
    await a.rebalance();
    await b.rebalance();
    cutOff.cut = true;
    // a keeps its partitions while its leases are live; b waits for them to run out.
    for (let elapsed = 0; elapsed <= TTL; elapsed += TTL / 3) {
      clock.advance(TTL / 3);
      await a.rebalance();
      await b.rebalance();
      const both = a.held().filter((index) => b.held().includes(index));
      assert.deepEqual(both, [], `no partition held twice at +${elapsed + TTL / 3} ms`);
    }
    assert.deepEqual(a.held(), [], "a stopped every partition when its leases ran out");
    assert.deepEqual(b.held(), [0, 1, 2, 3, 4, 5, 6, 7]);
    const seen = await appendAndWait(20);
    assert.ok(seen.every((h) => h.instance === "b"));
    assertOncePerEventOneInstancePerStream(seen);
  });

  it("hands back partitions when a third instance joins, and takes a stopped one's at once", async () => {
    const a = await start("a");
    const b = await start("b");
    await a.rebalance();
    await b.rebalance();
    const c = await start("c");
    await a.rebalance();
    await b.rebalance();
    await c.rebalance();
    const shares = [a, b, c].map((reactor) => reactor.held().length);
    assert.ok(
      shares.every((n) => n <= 3),
      `shares ${shares}`,
    );
    assert.equal(
      shares.reduce((x, y) => x + y),
      PARTITIONS,
      "every partition held",
    );
    await c.stop();
    running.splice(running.indexOf(c), 1);
    await a.rebalance();
    await b.rebalance();
    assert.deepEqual(
      [...a.held(), ...b.held()].sort(),
      [0, 1, 2, 3, 4, 5, 6, 7],
      "c's released leases taken without waiting",
    );
    assertOncePerEventOneInstancePerStream(await appendAndWait(20));
  });
});

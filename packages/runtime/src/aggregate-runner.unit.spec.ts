import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Decider } from "@certplane/domain";
import { ConcurrencyError, UpcasterChain } from "@certplane/domain";
import type { EventStore } from "@certplane/event-store";
import { MemoryEventStore } from "@certplane/event-store";
import { FakeClock } from "@certplane/testing";
import { AggregateRunner } from "./aggregate-runner.ts";

type CounterEvent = { type: "Added"; data: { amount: number } };
type CounterCommand = { type: "Add"; amount: number };

const counter: Decider<CounterCommand, CounterEvent, number> = {
  initialState: () => 0,
  decide: (command) => (command.amount === 0 ? [] : [{ type: "Added", data: { amount: command.amount } }]),
  evolve: (total, event) => total + event.data.amount,
};

const context = { correlationId: "c-1", causationId: "c-1", actor: "test" };
let ids = 0;
const newId = () => `id-${++ids}`;

describe("AggregateRunner", () => {
  it("appends the decided events with the context's metadata and the clock's time", async () => {
    const clock = new FakeClock("2026-03-01T10:00:00Z");
    const store = new MemoryEventStore({ clock });
    const runner = new AggregateRunner({ store, clock, newId });
    const result = await runner.execute("counter-a", counter, { type: "Add", amount: 2 }, context);
    assert.equal(result.state, 2);
    const read = await store.read("counter-a");
    assert.equal(read.events.length, 1);
    assert.deepEqual(read.events[0]?.metadata, { ...context, occurredAt: "2026-03-01T10:00:00.000Z" });
  });

  it("appends nothing when the decider decides nothing", async () => {
    const store = new MemoryEventStore();
    const runner = new AggregateRunner({ store, clock: new FakeClock(), newId });
    await runner.execute("counter-b", counter, { type: "Add", amount: 0 }, context);
    assert.equal((await store.read("counter-b")).version, undefined);
  });

  it("decides again from the newer state when another writer got there first", async () => {
    const store = new MemoryEventStore();
    let interfered = false;
    // Another writer slips in an event between this runner's read and its append.
    const racing: EventStore = {
      read: (stream) => store.read(stream),
      append: async (stream, events, expected) => {
        if (!interfered) {
          interfered = true;
          const other = { ...events[0]!, id: "other-writer", data: { amount: 10 } };
          await store.append(stream, [other], expected);
        }
        return await store.append(stream, events, expected);
      },
      subscribe: (options) => store.subscribe(options),
      close: () => store.close(),
    };
    const runner = new AggregateRunner({ store: racing, clock: new FakeClock(), newId });
    const decidedOn: number[] = [];
    const result = await runner.execute(
      "counter-c",
      counter,
      (state) => {
        decidedOn.push(state);
        return { type: "Add", amount: 1 };
      },
      context,
    );
    assert.deepEqual(decidedOn, [0, 10]);
    assert.equal(result.state, 11);
    assert.equal((await store.read("counter-c")).events.length, 2);
  });

  it("gives up with the ConcurrencyError after its bounded number of attempts", async () => {
    const always: EventStore = {
      read: async () => ({ version: undefined, events: [] }),
      append: async (stream) => {
        throw new ConcurrencyError(stream, "always stale");
      },
      subscribe: async () => ({ stop: async () => {} }),
      close: async () => {},
    };
    const runner = new AggregateRunner({ store: always, clock: new FakeClock(), newId, maxAttempts: 3 });
    await assert.rejects(
      runner.execute("counter-d", counter, { type: "Add", amount: 1 }, context),
      ConcurrencyError,
    );
  });

  it("upcasts old events on load, so a stream written with an old schema still folds", async () => {
    const store = new MemoryEventStore();
    // Schema 1 of Added carried `value`; schema 2 renamed it to `amount`.
    await store.append(
      "counter-e",
      [
        {
          id: "old-1",
          type: "Added",
          schemaVersion: 1,
          data: { value: 5 },
          metadata: { ...context, occurredAt: "2025-01-01T00:00:00Z" },
        },
      ],
      "no_stream",
    );
    const upcasters = new UpcasterChain([
      { type: "Added", fromVersion: 1, up: (data) => ({ amount: (data as { value: number }).value }) },
    ]);
    const runner = new AggregateRunner({ store, clock: new FakeClock(), newId, upcasters });
    assert.equal((await runner.load("counter-e", counter)).state, 5);
  });
});

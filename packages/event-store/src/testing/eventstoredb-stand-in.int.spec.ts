import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  MaxAppendSizeExceededError,
  NO_STREAM,
  type ResolvedEvent,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError,
} from "@eventstore/db-client";
import { waitFor } from "../contract/fixtures.ts";
import {
  type EventStoreDbStandIn,
  MAX_APPEND_SIZE,
  startEventStoreDbStandIn,
} from "./eventstoredb-stand-in.ts";

// Pins the stand-in to EventStoreDB's documented behaviour, through the real client: the Node.js
// client docs (appending, concurrency and idempotence, reading, catch-up subscriptions) and the
// server's documented defaults.

let standIn: EventStoreDbStandIn;
let client: EventStoreDBClient;

before(async () => {
  standIn = await startEventStoreDbStandIn();
  client = EventStoreDBClient.connectionString(standIn.connectionString);
});
after(async () => {
  await client?.dispose();
  await standIn?.stop();
});

const streamName = (category = "order") => `${category}-${randomUUID()}`;
const event = (type = "OrderPlaced", data: Record<string, unknown> = {}) => jsonEvent({ type, data });

async function collect(events: AsyncIterable<ResolvedEvent>): Promise<ResolvedEvent[]> {
  const all: ResolvedEvent[] = [];
  for await (const resolved of events) all.push(resolved);
  return all;
}

async function wrongExpectedVersion(append: Promise<unknown>): Promise<WrongExpectedVersionError> {
  const error = await append.then(
    () => assert.fail("the append succeeded"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof WrongExpectedVersionError, `expected WrongExpectedVersionError, got ${error}`);
  return error;
}

describe("EventStoreDB stand-in", () => {
  it("numbers a stream's events from revision 0 and answers the next expected revision", async () => {
    const stream = streamName();
    const first = await client.appendToStream(stream, [event(), event()], { expectedRevision: NO_STREAM });
    const second = await client.appendToStream(stream, event(), {
      expectedRevision: first.nextExpectedRevision,
    });
    assert.equal(first.success, true);
    assert.equal(first.nextExpectedRevision, 1n);
    assert.equal(second.nextExpectedRevision, 2n);
    const read = await collect(client.readStream(stream, { direction: FORWARDS, fromRevision: START }));
    assert.deepEqual(
      read.map((resolved) => resolved.event?.revision),
      [0n, 1n, 2n],
    );
  });

  it("refuses a stale expectation with WrongExpectedVersion naming the stream, expected and actual revision", async () => {
    const stream = streamName();
    await client.appendToStream(stream, event(), { expectedRevision: NO_STREAM });
    const twice = await wrongExpectedVersion(
      client.appendToStream(stream, event(), { expectedRevision: NO_STREAM }),
    );
    assert.equal(twice.streamName, stream);
    assert.equal(twice.expectedVersion, "no_stream");
    assert.equal(twice.actualVersion, 0n);
    const ahead = await wrongExpectedVersion(
      client.appendToStream(stream, event(), { expectedRevision: 5n }),
    );
    assert.equal(ahead.expectedVersion, 5n);
    assert.equal(ahead.actualVersion, 0n);
    const missing = await wrongExpectedVersion(
      client.appendToStream(streamName(), event(), { expectedRevision: STREAM_EXISTS }),
    );
    assert.equal(missing.expectedVersion, "stream_exists");
    assert.equal(missing.actualVersion, "no_stream");
  });

  it("stores a repeated append of the same event ids once and answers it like the first", async () => {
    const stream = streamName();
    const events = [event("A"), event("B")];
    const original = await client.appendToStream(stream, events, { expectedRevision: NO_STREAM });
    assert.deepEqual(await client.appendToStream(stream, events, { expectedRevision: NO_STREAM }), original);
    const lone = event("C");
    const appended = await client.appendToStream(stream, lone, { expectedRevision: ANY });
    assert.deepEqual(await client.appendToStream(stream, lone, { expectedRevision: ANY }), appended);
    const read = await collect(client.readStream(stream));
    assert.deepEqual(
      read.map((resolved) => resolved.event?.type),
      ["A", "B", "C"],
    );
  });

  it("answers a read of a stream that has no events with StreamNotFound", async () => {
    const error = await collect(client.readStream(streamName())).catch((e: unknown) => e);
    assert.ok(error instanceof StreamNotFoundError, `expected StreamNotFoundError, got ${error}`);
  });

  it("reads a stream backwards from its end, at most maxCount events", async () => {
    const stream = streamName();
    await client.appendToStream(stream, [event("A"), event("B"), event("C")], {
      expectedRevision: NO_STREAM,
    });
    const last = await collect(
      client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 2 }),
    );
    assert.deepEqual(
      last.map((resolved) => resolved.event?.type),
      ["C", "B"],
    );
  });

  it("orders $all by commit position, with each event's position on stream reads and appends", async () => {
    const [a, b] = [streamName(), streamName()];
    const first = await client.appendToStream(a, [event("A1"), event("A2")], { expectedRevision: NO_STREAM });
    const second = await client.appendToStream(b, event("B1"), { expectedRevision: NO_STREAM });
    const all = (await collect(client.readAll({ direction: FORWARDS, fromPosition: START })))
      .map((resolved) => resolved.event!)
      .filter((recorded) => recorded.streamId === a || recorded.streamId === b);
    assert.deepEqual(
      all.map((recorded) => recorded.type),
      ["A1", "A2", "B1"],
    );
    const commits = all.map((recorded) => recorded.position!.commit);
    assert.deepEqual(
      commits,
      [...commits].sort((x, y) => (x < y ? -1 : 1)),
    );
    assert.equal(new Set(commits).size, 3);
    for (const recorded of all) assert.equal(recorded.position!.prepare, recorded.position!.commit);
    // An append answers the position of its last event.
    assert.deepEqual(first.position, all[1]!.position);
    assert.deepEqual(second.position, all[2]!.position);
    const fromStream = await collect(client.readStream(a));
    assert.deepEqual(
      fromStream.map((resolved) => resolved.event?.position),
      [all[0]!.position, all[1]!.position],
    );
  });

  it("runs a filtered catch-up subscription from after a position: history, caught up, then live", async () => {
    const category = `c${randomUUID().replaceAll("-", "")}`;
    const before = await client.appendToStream(streamName(category), event("Skipped"), {
      expectedRevision: NO_STREAM,
    });
    await client.appendToStream(streamName(category), event("History"), { expectedRevision: NO_STREAM });
    await client.appendToStream(streamName("other"), event("Filtered"), { expectedRevision: NO_STREAM });
    const subscription = client.subscribeToAll({
      fromPosition: before.position!,
      filter: streamNameFilter({ prefixes: [`${category}-`] }),
    });
    const seen: string[] = [];
    subscription.on("data", (resolved: ResolvedEvent) => seen.push(resolved.event!.type));
    subscription.once("caughtUp", () => seen.push("(caught up)"));
    try {
      await waitFor(() => seen.includes("(caught up)"), "caught up");
      await client.appendToStream(streamName(category), event("Live"), { expectedRevision: NO_STREAM });
      await waitFor(() => seen.includes("Live"), "the live event");
    } finally {
      await subscription.unsubscribe();
    }
    assert.deepEqual(seen, ["History", "(caught up)", "Live"]);
  });

  it("refuses a commit over the default MaxAppendSize of 1 MiB", async () => {
    const stream = streamName();
    const error = await client
      .appendToStream(stream, event("Big", { blob: "x".repeat(MAX_APPEND_SIZE) }), {
        expectedRevision: NO_STREAM,
      })
      .catch((e: unknown) => e);
    assert.ok(
      error instanceof MaxAppendSizeExceededError,
      `expected MaxAppendSizeExceededError, got ${error}`,
    );
    assert.equal(error.maxAppendSize, 1_048_576);
    await assert.rejects(collect(client.readStream(stream)), StreamNotFoundError);
  });
});

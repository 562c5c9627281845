import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ExpectedVersion, NewEvent, RecordedEvent } from "@certplane/domain";
import { ConcurrencyError, PayloadTooLargeError, ValidationError } from "@certplane/domain";
import { pollUntil } from "@certplane/testing";
import { verifyStreamChain } from "../chain-verify.ts";
import { ChainedEventStore } from "../chained-event-store.ts";
import { partitionOf } from "../partitions.ts";
import type { AppendResult, EventStore } from "../port.ts";
import { comparePositions } from "../positions.ts";
import { newEvent, readAll, uniqueStream, waitFor } from "./fixtures.ts";

/** Fresh, empty storage for one test; every `open()` is another instance over it (another process). */
export interface EventStoreFixture {
  open(): Promise<EventStore>;
  /** Frees the storage; called after every opened instance is closed. */
  dispose(): Promise<void>;
}

export interface EventStoreContractOptions {
  /** Names the suite: `EventStore contract: <adapter>`. */
  readonly adapter: string;
  readonly fixture: () => Promise<EventStoreFixture>;
  /** Ends an instance the way a crashed subscriber process ends; close() by default. */
  readonly kill?: (store: EventStore) => Promise<void>;
  /** When the backend limits one commit's size: the limit in bytes, so the suite proves a clear refusal. */
  readonly commitLimitBytes?: number;
  /** Skip every test with this reason (the backend is not available here). */
  readonly skip?: string;
}

const HALF_MIB = 512 * 1024;

type Body = (open: () => Promise<EventStore>) => Promise<void>;

function withFixture(options: EventStoreContractOptions, body: Body): () => Promise<void> {
  return async () => {
    const fixture = await options.fixture();
    const opened: EventStore[] = [];
    try {
      await body(async () => {
        const store = await fixture.open();
        opened.push(store);
        return store;
      });
    } finally {
      await Promise.allSettled(opened.map((store) => store.close()));
      await fixture.dispose();
    }
  };
}

function stripRecorded(event: RecordedEvent): NewEvent {
  const { stream: _s, version: _v, position: _p, recordedAt: _r, ...rest } = event;
  return rest;
}

async function appendChain(
  store: EventStore,
  stream: string,
  events: readonly NewEvent[],
): Promise<AppendResult[]> {
  const results: AppendResult[] = [];
  let expected: ExpectedVersion = "no_stream";
  for (const event of events) {
    const result = await store.append(stream, [event], expected);
    results.push(result);
    expected = result.version;
  }
  return results;
}

/** The behaviour every EventStore adapter must show; run it from one spec per adapter. */
export function eventStoreContract(options: EventStoreContractOptions): void {
  const it = (name: string, body: Body) =>
    test(name, options.skip === undefined ? {} : { skip: options.skip }, withFixture(options, body));

  describe(`EventStore contract: ${options.adapter}`, () => {
    it("round-trips every envelope field through append and read", async (open) => {
      const store = await open();
      const stream = uniqueStream();
      const first = [
        newEvent("CertificateRequested", { dnsNames: ["a.example"], n: 1 }),
        newEvent("KeyGenerated"),
      ];
      const created = await store.append(stream, first, "no_stream");
      assert.equal(created.duplicate, false);
      assert.equal(typeof created.version, "bigint");
      assert.equal(typeof created.position, "string");

      const second = newEvent("CertificateIssued", { serial: "01", nested: { list: [1, null, "x"] } });
      const updated = await store.append(stream, [second], created.version);
      assert.notEqual(updated.version, created.version);

      const read = await store.read(stream);
      assert.equal(read.version, updated.version);
      assert.deepEqual(read.events.map(stripRecorded), [...first, second]);
      assert.deepEqual(
        read.events.map((event) => event.version),
        [created.version, created.version, updated.version],
      );
      assert.equal(read.events[2]!.position, updated.position);
      for (const event of read.events) {
        assert.equal(event.stream, stream);
        assert.ok(!Number.isNaN(Date.parse(event.recordedAt)), `recordedAt ${event.recordedAt} is a date`);
      }
      assert.equal(new Set(read.events.map((event) => event.position)).size, 3);
    });

    it("reads an absent stream as no version and no events", async (open) => {
      const store = await open();
      assert.deepEqual(await store.read(uniqueStream()), { version: undefined, events: [] });
    });

    it("lets exactly one of 8 concurrent writers with the same expected version win", async (open) => {
      const stores = [await open(), await open()];
      const stream = uniqueStream();
      const seeded = await stores[0]!.append(stream, [newEvent("Seeded")], "no_stream");
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          stores[i % 2]!.append(stream, [newEvent("Raced", { writer: i })], seeded.version),
        ),
      );
      const won = outcomes.filter((outcome) => outcome.status === "fulfilled");
      const lost = outcomes.filter((outcome) => outcome.status === "rejected");
      assert.equal(won.length, 1);
      for (const outcome of lost) {
        assert.ok(
          outcome.reason instanceof ConcurrencyError,
          `expected ConcurrencyError, got ${outcome.reason}`,
        );
        assert.equal(outcome.reason.code, "CONCURRENCY");
      }
      const read = await stores[0]!.read(stream);
      assert.equal(read.events.length, 2);
      assert.equal(read.version, won[0]!.value.version);
    });

    it("refuses no_stream on an existing stream and a stale version", async (open) => {
      const store = await open();
      const stream = uniqueStream();
      const first = await store.append(stream, [newEvent("Created")], "no_stream");
      await store.append(stream, [newEvent("Changed")], first.version);
      await assert.rejects(store.append(stream, [newEvent("Again")], "no_stream"), ConcurrencyError);
      await assert.rejects(store.append(stream, [newEvent("Stale")], first.version), ConcurrencyError);
      assert.equal((await store.read(stream)).events.length, 2);
      await store.append(stream, [newEvent("Whatever")], "any");
      assert.equal((await store.read(stream)).events.length, 3);
    });

    it("stores a retried append (same ids, same expectation) once and reports the duplicate", async (open) => {
      const store = await open();
      const stream = uniqueStream();
      const commit = [newEvent("OrderCreated"), newEvent("ChallengeCreated")];
      const original = await store.append(stream, commit, "no_stream");
      const retried = await store.append(stream, commit, "no_stream");
      assert.deepEqual(retried, { ...original, duplicate: true });
      const next = await store.append(stream, [newEvent("OrderValid")], original.version);
      const retriedNext = await store
        .append(stream, [newEvent("OrderValid")], original.version)
        .catch((e) => e);
      assert.ok(retriedNext instanceof ConcurrencyError, "new ids with a stale version still conflict");
      const read = await store.read(stream);
      assert.equal(read.events.length, 3);
      assert.equal(read.version, next.version);
    });

    it("keeps per-stream order with interleaved streams", async (open) => {
      const store = await open();
      const streams = [uniqueStream("certificate"), uniqueStream("issuer"), uniqueStream("order")];
      const versions = new Map<string, ExpectedVersion>(streams.map((stream) => [stream, "no_stream"]));
      for (let n = 0; n < 10; n++) {
        await Promise.all(
          streams.map(async (stream) => {
            const result = await store.append(stream, [newEvent("Step", { n })], versions.get(stream)!);
            versions.set(stream, result.version);
          }),
        );
      }
      const all = await readAll(store);
      for (const stream of streams) {
        const ns = (events: readonly RecordedEvent[]) =>
          events.filter((event) => event.stream === stream).map((event) => (event.data as { n: number }).n);
        const expected = Array.from({ length: 10 }, (_, n) => n);
        assert.deepEqual(ns((await store.read(stream)).events), expected);
        assert.deepEqual(ns(all), expected);
      }
    });

    it("orders positions across streams as the commits happened (comparePositions)", async (open) => {
      const store = await open();
      const [a, b] = [uniqueStream(), uniqueStream()];
      const first = await store.append(a, [newEvent("One"), newEvent("Two")], "no_stream");
      const second = await store.append(b, [newEvent("Three")], "no_stream");
      const third = await store.append(a, [newEvent("Four")], first.version);
      const positions = [...(await store.read(a)).events, ...(await store.read(b)).events]
        .sort((x, y) => comparePositions(x.position, y.position))
        .map((event) => event.type);
      assert.deepEqual(positions, ["One", "Two", "Three", "Four"]);
      assert.equal(comparePositions(second.position, third.position), -1);
      assert.equal(comparePositions(third.position, third.position), 0);
    });

    it("subscribes from the start: everything in order, caught up, then live appends", async (open) => {
      const store = await open();
      const writer = await open();
      const appended: string[] = [];
      for (const stream of [uniqueStream(), uniqueStream()]) {
        const events = [newEvent("A"), newEvent("B")];
        await appendChain(writer, stream, events);
        appended.push(...events.map((event) => event.id));
      }
      const received: string[] = [];
      let seenAtCatchUp = -1;
      const subscription = await store.subscribe({
        handler: async (event) => {
          received.push(event.id);
        },
        onCaughtUp: () => {
          seenAtCatchUp = received.length;
        },
      });
      await waitFor(() => seenAtCatchUp >= 0, "catch-up");
      assert.equal(seenAtCatchUp, 4);
      const live = [newEvent("Live1"), newEvent("Live2"), newEvent("Live3")];
      await appendChain(writer, uniqueStream(), live);
      appended.push(...live.map((event) => event.id));
      await waitFor(() => received.length >= 7, "live events");
      await subscription.stop();
      assert.deepEqual(received, appended);
    });

    it("subscribes after a checkpoint and to chosen categories only", async (open) => {
      const store = await open();
      const certificate = await store.append(uniqueStream("certificate"), [newEvent("C1")], "no_stream");
      const issuer = newEvent("I1");
      await store.append(uniqueStream("issuer"), [issuer], "no_stream");
      const order = newEvent("O1");
      await store.append(uniqueStream("order"), [order], "no_stream");
      const afterFirst = await readAll(store, { from: { after: certificate.position } });
      assert.deepEqual(
        afterFirst.map((event) => event.id),
        [issuer.id, order.id],
      );
      assert.deepEqual(
        (await readAll(store, { categories: ["issuer"] })).map((event) => event.id),
        [issuer.id],
      );
      assert.deepEqual(
        (await readAll(store, { categories: ["order", "issuer"] })).map((event) => event.id),
        [issuer.id, order.id],
      );
    });

    it("splits streams over partitions: disjoint, together everything, each stream whole and in order", async (open) => {
      const store = await open();
      const streams = Array.from({ length: 12 }, () => uniqueStream("certificate"));
      for (const stream of streams) await appendChain(store, stream, [newEvent("A"), newEvent("B")]);
      const count = 3;
      const slices = await Promise.all(
        Array.from({ length: count }, (_, index) =>
          readAll(store, { categories: ["certificate"], partition: { index, count } }),
        ),
      );
      const ours = (events: readonly RecordedEvent[]) =>
        events.filter((event) => streams.includes(event.stream));
      const seen = slices.flatMap((slice) => ours(slice).map((event) => event.id));
      const all = ours(await readAll(store, { categories: ["certificate"] })).map((event) => event.id);
      assert.deepEqual([...seen].sort(), [...all].sort(), "each event in exactly one partition");
      for (const [index, slice] of slices.entries()) {
        for (const event of ours(slice)) assert.equal(partitionOf(event.stream, count), index);
        for (const stream of new Set(ours(slice).map((event) => event.stream))) {
          const types = slice.filter((event) => event.stream === stream).map((event) => event.type);
          assert.deepEqual(types, ["A", "B"], `${stream} whole and in order`);
        }
      }
      await assert.rejects(
        store.subscribe({ partition: { index: 3, count }, handler: async () => {} }),
        (error) => error instanceof ValidationError && error.issues[0]?.field === "partition.index",
      );
    });

    it("resumes a killed durable subscriber from its checkpoint without gaps", async (open) => {
      const writer = await open();
      const first = await open();
      const stream = uniqueStream();
      const name = "projection-kill";
      const receivedFirst: string[] = [];
      let release: () => void = () => undefined;
      const blocked = new Promise<void>((resolve) => {
        release = resolve;
      });
      await first.subscribe({
        name,
        handler: async (event) => {
          receivedFirst.push(event.id);
          if (receivedFirst.length === 10) await blocked;
        },
      });
      const ids: string[] = [];
      let last: AppendResult | undefined;
      const writing = (async () => {
        let expected: ExpectedVersion = "no_stream";
        for (let n = 0; n < 40; n++) {
          const event = newEvent("Tick", { n });
          last = await writer.append(stream, [event], expected);
          ids.push(event.id);
          expected = last.version;
        }
      })();
      await waitFor(() => receivedFirst.length >= 10, "the first subscriber to take 10 events");
      const killed = (options.kill ?? ((store: EventStore) => store.close()))(first);
      release();
      await killed;
      await writing;

      const second = await open();
      const receivedSecond: string[] = [];
      // `from` points past everything: only the stored checkpoint can bring the missed events back.
      const subscription = await second.subscribe({
        name,
        from: { after: last!.position },
        handler: async (event) => {
          receivedSecond.push(event.id);
        },
      });
      await waitFor(
        () => receivedSecond.includes(ids[ids.length - 1]!),
        "the resumed subscriber to reach the end",
      );
      await subscription.stop();
      const resumedAt = ids.indexOf(receivedSecond[0]!);
      assert.ok(resumedAt >= 0 && resumedAt <= receivedFirst.length, `resumed at ${resumedAt}: a gap`);
      assert.deepEqual(receivedSecond, ids.slice(resumedAt));
      assert.deepEqual(receivedFirst, ids.slice(0, receivedFirst.length));
    });

    it("delivers an event again when the handler throws, before moving on", async (open) => {
      const store = await open();
      const events = [newEvent("One"), newEvent("Two"), newEvent("Three")];
      await appendChain(store, uniqueStream(), events);
      const delivered: string[] = [];
      const errors: unknown[] = [];
      let failed = false;
      const subscription = await store.subscribe({
        retryDelayMs: 5,
        handler: async (event) => {
          delivered.push(event.id);
          if (event.id === events[1]!.id && !failed) {
            failed = true;
            throw new Error("projection unavailable");
          }
        },
        onError: (error) => errors.push(error),
      });
      await waitFor(() => delivered.length >= 4, "redelivery");
      await subscription.stop();
      assert.deepEqual(delivered, [events[0]!.id, events[1]!.id, events[1]!.id, events[2]!.id]);
      assert.equal(errors.length, 1);
    });

    it("counts what a subscription has not handled yet, where the store can", async (open) => {
      const store = await open();
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const delivered: string[] = [];
      const subscription = await store.subscribe({
        categories: ["backlogA"],
        handler: async (event) => {
          delivered.push(event.id);
          await held;
        },
      });
      try {
        if (subscription.pending === undefined) return;
        await appendChain(store, uniqueStream("backlogA"), [
          newEvent("One"),
          newEvent("Two"),
          newEvent("Three"),
        ]);
        await waitFor(() => delivered.length === 1, "the first event in the handler");
        // The one in hand and the two behind it; JetStream may count more (an upper bound).
        const backlog = await subscription.pending();
        if (options.adapter.startsWith("jetstream")) assert.ok(backlog >= 3, `backlog ${backlog}`);
        else assert.equal(backlog, 3);
        release();
        await waitFor(() => delivered.length === 3, "the rest");
        await pollUntil(async () => (await subscription.pending!()) === 0, {
          what: "no backlog",
          timeoutMs: 15_000,
        });
      } finally {
        release();
        await subscription.stop();
      }
    });

    it("stores and reads back a 512 KiB event", async (open) => {
      const store = await open();
      const stream = uniqueStream();
      const big = newEvent("BundlePublished", { pem: "A".repeat(HALF_MIB) });
      const result = await store.append(stream, [big], "no_stream");
      const read = await store.read(stream);
      assert.equal(read.version, result.version);
      assert.deepEqual(read.events.map(stripRecorded), [big]);
    });

    if (options.commitLimitBytes !== undefined) {
      const limit = options.commitLimitBytes;
      it("refuses a commit over the size limit with PayloadTooLargeError naming size and limit", async (open) => {
        const store = await open();
        const stream = uniqueStream();
        const huge = newEvent("TooBig", { blob: "B".repeat(limit + 1) });
        const error = await store.append(stream, [huge], "no_stream").catch((e: unknown) => e);
        assert.ok(error instanceof PayloadTooLargeError, `expected PayloadTooLargeError, got ${error}`);
        assert.match(error.message, new RegExp(`\\b${limit}\\b`));
        assert.match(error.message, /\d+ bytes/);
        assert.deepEqual(await store.read(stream), { version: undefined, events: [] });
      });
    }

    it("refuses invalid stream names with ValidationError on `stream` and changes nothing", async (open) => {
      const store = await open();
      const invalid = [
        "",
        "certificate",
        "-abc",
        "Certificate-abc",
        "cert_ificate-abc",
        "certificate-a.b",
        "certificate-a*",
        "certificate-a>",
        "certificate-a b",
        "certificate-",
        `certificate-${"x".repeat(200)}`,
      ];
      for (const stream of invalid) {
        for (const attempt of [store.append(stream, [newEvent("Nope")], "any"), store.read(stream)]) {
          const error = await attempt.catch((e: unknown) => e);
          assert.ok(error instanceof ValidationError, `${JSON.stringify(stream)} refused`);
          assert.equal(error.issues[0]?.field, "stream");
          assert.ok(error.message.length > "stream: ".length);
        }
      }
      assert.deepEqual(await readAll(store), []);
      const valid = await store.append("certificateRequest-Ab_9~:x-y", [newEvent("Fine")], "no_stream");
      assert.equal(valid.duplicate, false);
    });

    it("chains every event through ChainedEventStore so the chain verifies on a fresh instance", async (open) => {
      const store = new ChainedEventStore(await open());
      const stream = uniqueStream();
      const created = await store.append(stream, [newEvent("Created"), newEvent("Keyed")], "no_stream");
      const changed = await store.append(
        stream,
        [newEvent("Changed", { n: { b: 2, a: 1 } })],
        created.version,
      );
      // Another instance has no remembered head: it must read the stream to link correctly.
      const other = new ChainedEventStore(await open());
      const retried = await other.append(stream, [newEvent("Renewed")], changed.version);
      await other.append(stream, [newEvent("Touched")], "any");
      assert.equal(
        (await other.append(stream, [newEvent("Stale")], retried.version).catch((e) => e)).code,
        "CONCURRENCY",
      );

      const read = await (await open()).read(stream);
      assert.deepEqual(
        read.events.map((event) => event.metadata.chain?.revision),
        [0, 1, 2, 3, 4],
      );
      const verified = verifyStreamChain(stream, read.events);
      assert.equal(verified.problem, undefined);
      assert.equal(verified.count, 5);
      assert.equal(verified.unchained, 0);
    });
  });
}

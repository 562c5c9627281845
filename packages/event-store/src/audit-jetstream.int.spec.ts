import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type NatsServerHandle, startNatsServer } from "@certplane/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { auditStore } from "./audit-store.ts";
import { ChainedEventStore } from "./chained-event-store.ts";
import { newEvent } from "./contract/index.ts";
import { JetStreamEventStore, type JetStreamEventStoreOptions } from "./jetstream-event-store.ts";

let server: NatsServerHandle;
let fixtures = 0;

before(async () => {
  server = await startNatsServer();
});
after(async () => {
  await server?.dispose();
});

function isolated(): JetStreamEventStoreOptions {
  const n = ++fixtures;
  return {
    servers: server.url,
    streamName: `AUDIT${n}_EVENTS`,
    subjectPrefix: `audit${n}`,
    checkpointBucket: `audit${n}_checkpoints`,
    timeoutMs: 5_000,
  };
}

/** One commit per event, so each event is one JetStream message; returns each commit's sequence. */
async function seed(options: JetStreamEventStoreOptions, stream: string, count: number): Promise<number[]> {
  const store = new ChainedEventStore(await JetStreamEventStore.connect(options));
  try {
    const sequences: number[] = [];
    let expected: "no_stream" | bigint = "no_stream";
    for (let i = 0; i < count; i++) {
      expected = (await store.append(stream, [newEvent("Changed", { i })], expected)).version;
      sequences.push(Number(expected));
    }
    return sequences;
  } finally {
    await store.close();
  }
}

async function audit(options: JetStreamEventStoreOptions) {
  const store = await JetStreamEventStore.connect(options);
  try {
    return await auditStore(store);
  } finally {
    await store.close();
  }
}

describe("audit verify over a real JetStream store", () => {
  test("a clean store verifies", async () => {
    const options = isolated();
    await seed(options, "certificate-demo_a", 3);
    await seed(options, "certificateIssuance-demo_a", 2);
    const report = await audit(options);
    assert.deepEqual(report.problems, []);
    assert.equal(report.streams, 2);
    assert.equal(report.events, 5);
  });

  test("a message deleted with the JetStream manager is named removed", async () => {
    const options = isolated();
    // The store creates its own stream with deny_delete (which no update can lift), but it adopts
    // a stream an operator made beforehand, and nothing stops a rebuild from a filtered copy: the
    // chain must not rely on deny_delete. Here the operator's stream allows deletes.
    const nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({
      name: options.streamName!,
      subjects: [`${options.subjectPrefix}.>`],
      allow_direct: true,
    });
    const sequences = await seed(options, "certificate-demo_deleted", 4);
    await seed(options, "certificate-demo_clean", 2);
    const before = await audit(options);
    const deletedId = (await readIds(options, "certificate-demo_deleted"))[1];
    const afterId = (await readIds(options, "certificate-demo_deleted"))[2];
    assert.deepEqual(before.problems, []);

    try {
      assert.equal(await jsm.streams.deleteMessage(options.streamName!, sequences[1]!), true);
    } finally {
      await nc.close();
    }

    const report = await audit(options);
    assert.equal(report.problems.length, 1);
    const [problem] = report.problems;
    assert.equal(problem?.stream, "certificate-demo_deleted");
    assert.equal(problem?.kind, "removed");
    assert.equal(problem?.revision, 1);
    assert.equal(problem?.eventId, afterId);
    assert.ok(deletedId !== undefined && !(problem?.message ?? "").includes(deletedId));
  });
});

async function readIds(options: JetStreamEventStoreOptions, stream: string): Promise<string[]> {
  const store = await JetStreamEventStore.connect(options);
  try {
    return (await store.read(stream)).events.map((event) => event.id);
  } finally {
    await store.close();
  }
}

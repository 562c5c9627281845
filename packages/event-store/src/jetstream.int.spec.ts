import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type NatsServerHandle, startNatsServer } from "@certplane/testing";
import { eventStoreContract, newEvent, readAll, uniqueStream } from "./contract/index.ts";
import { JetStreamEventStore, type JetStreamEventStoreOptions } from "./jetstream-event-store.ts";

// The harness configures max_payload 8MB; the store refuses bigger commits before publishing.
const MAX_PAYLOAD = 8 * 1024 * 1024;

let server: NatsServerHandle;
let fixtures = 0;

before(async () => {
  server = await startNatsServer();
});
after(async () => {
  await server?.dispose();
});

/** Each fixture gets its own stream, subjects and bucket on the shared server, so tests stay isolated. */
function isolated(): JetStreamEventStoreOptions {
  const n = ++fixtures;
  return {
    servers: server.url,
    streamName: `T${n}_EVENTS`,
    subjectPrefix: `t${n}`,
    checkpointBucket: `t${n}_checkpoints`,
    timeoutMs: 5_000,
  };
}

eventStoreContract({
  adapter: "jetstream",
  commitLimitBytes: MAX_PAYLOAD,
  fixture: async () => {
    const options = isolated();
    return { open: () => JetStreamEventStore.connect(options), dispose: async () => undefined };
  },
});

describe("JetStreamEventStore on a real nats-server", () => {
  test("keeps every event across a nats-server kill and restart", async () => {
    const options = isolated();
    const store = await JetStreamEventStore.connect(options);
    try {
      const stream = uniqueStream();
      const first = await store.append(stream, [newEvent("Before1"), newEvent("Before2")], "no_stream");
      await server.stop();
      await server.restart();
      const reopened = await JetStreamEventStore.connect(options);
      try {
        const second = await reopened.append(stream, [newEvent("After")], first.version);
        const read = await reopened.read(stream);
        assert.equal(read.version, second.version);
        assert.deepEqual(
          read.events.map((event) => event.type),
          ["Before1", "Before2", "After"],
        );
      } finally {
        await reopened.close();
      }
    } finally {
      await store.close();
    }
  });

  test("a second instance reuses the existing stream and its events", async () => {
    const options = isolated();
    const first = await JetStreamEventStore.connect(options);
    const second = await JetStreamEventStore.connect(options).finally(() => undefined);
    try {
      const stream = uniqueStream();
      const written = await first.append(stream, [newEvent("Written")], "no_stream");
      const read = await second.read(stream);
      assert.equal(read.version, written.version);
      const third = await JetStreamEventStore.connect(options);
      try {
        assert.equal((await readAll(third)).length, 1);
      } finally {
        await third.close();
      }
    } finally {
      await first.close();
      await second.close();
    }
  });
});

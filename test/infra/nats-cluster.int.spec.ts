// The 3-node cluster exactly as infra/nats/cluster/ configures it (hosts, ports and directories
// replaced, nothing else): the nodes form a cluster behind the generated users and mutual TLS, the
// R3 event stream of infra/nats/events-stream.json gets a leader, the store keeps appending and
// reading after the leader's node is killed, and without a quorum an append fails with a retryable
// error (not a hang) and works again once the nodes are back, on the same store.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { isCertplaneError } from "@certplane/domain";
import { JetStreamEventStore } from "@certplane/event-store";
import { newEvent, uniqueStream } from "@certplane/event-store/contract";
import { connectNats } from "@certplane/messaging";
import type { NatsClusterHandle } from "@certplane/testing";
import { pollUntil, startNatsCluster } from "@certplane/testing";
import { type JetStreamManager, jetstreamManager, type StreamConfig } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { NatsSecurity } from "../e2e/support/nats-security.ts";
import { prepareNatsSecurity } from "../e2e/support/nats-security.ts";
import { repoRoot } from "../e2e/support/service-process.ts";
import { materializeClusterFiles } from "./support/cluster-files.ts";

const STREAM = "CERTPLANE_EVENTS";

describe("the 3-node JetStream cluster of infra/nats/cluster", () => {
  let dir: string;
  let security: NatsSecurity;
  let cluster: NatsClusterHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  const leaderOf = async () => (await jsm.streams.info(STREAM)).cluster?.leader;
  /** The node the leader test killed, started again after it so the next test has all three. */
  let leaderKilled: string | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "certplane-nats-cluster-"));
    await mkdir(join(dir, "tls"));
    security = await prepareNatsSecurity(join(dir, "tls"));
    cluster = await startNatsCluster({
      nodes: await materializeClusterFiles(dir, join(dir, "tls")),
      env: security.serverEnv,
    });
    // Intake's own user: what it may do (create the events stream) is all the setup needs.
    nc = await connectNats(security.connection("intake"), {
      servers: [...cluster.urls],
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    // JetStream answers once the nodes have elected a meta leader.
    jsm = await pollUntil(() => jetstreamManager(nc, { timeout: 2_000 }), {
      what: "JetStream to answer on the cluster",
      timeoutMs: 30_000,
      intervalMs: 250,
    });
  });

  after(async () => {
    await nc?.close();
    await cluster?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("the event stream from events-stream.json is replicated on three nodes and gets a leader", async () => {
    const config = JSON.parse(
      await readFile(join(repoRoot, "infra/nats/events-stream.json"), "utf8"),
    ) as StreamConfig;
    const started = Date.now();
    // Creating an identical stream again is not an error, so a retry after a lost answer is safe.
    await pollUntil(() => jsm.streams.add(config), {
      what: "the R3 stream",
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    const leader = await pollUntil(leaderOf, { what: "a stream leader", timeoutMs: 30_000, intervalMs: 100 });
    const info = await jsm.streams.info(STREAM);
    assert.equal(info.config.num_replicas, 3);
    assert.equal(info.cluster?.replicas?.length, 2, JSON.stringify(info.cluster));
    assert.match(leader, /^nats-[123]$/);
    console.log(`stream leader ${leader} after ${Date.now() - started} ms`);
  });

  test("appends and reads go on after the stream leader's node is killed", async () => {
    const store = await JetStreamEventStore.connect({
      servers: [...cluster.urls],
      connection: security.connection("intake"),
    });
    try {
      const stream = uniqueStream();
      await store.append(stream, [newEvent("CertificateApplied")], "no_stream");
      const leader = (await leaderOf()) as string;
      leaderKilled = leader;
      await cluster.stop(leader);
      const stopped = Date.now();
      const next = await pollUntil(
        async () => {
          const current = await leaderOf();
          return current !== undefined && current !== leader ? current : undefined;
        },
        { what: "a new stream leader", timeoutMs: 60_000, intervalMs: 100 },
      );
      const elected = Date.now() - stopped;
      // The same event (same id) on every attempt: a retry after a lost ack is stored once.
      const second = newEvent("CertificateDeleted");
      await pollUntil(() => store.append(stream, [second], "any"), {
        what: "an append after the leader's node stopped",
        timeoutMs: 60_000,
        intervalMs: 100,
      });
      console.log(
        `leader ${leader} killed; ${next} leads after ${elected} ms; append after ${Date.now() - stopped} ms`,
      );
      // A read makes a consumer, which the new meta leader may still refuse for a moment.
      const read = await pollUntil(() => store.read(stream), {
        what: "a read after the leader's node stopped",
        timeoutMs: 60_000,
        intervalMs: 250,
      });
      assert.deepEqual(
        read.events.map((e) => e.type),
        ["CertificateApplied", "CertificateDeleted"],
      );
    } finally {
      await store.close();
      if (leaderKilled !== undefined) await cluster.restart(leaderKilled);
    }
  });

  test("without a quorum an append fails with a retryable error, and the same store appends once it is back", async () => {
    const store = await JetStreamEventStore.connect({
      servers: [...cluster.urls],
      connection: security.connection("intake"),
      timeoutMs: 2_000,
    });
    try {
      const stream = uniqueStream();
      await pollUntil(() => store.append(stream, [newEvent("CertificateApplied")], "no_stream"), {
        what: "an append with all three nodes up",
        timeoutMs: 60_000,
        intervalMs: 100,
      });
      // Two of three nodes gone: the R3 stream has no quorum, so nothing can be stored.
      await cluster.stop("nats-1");
      await cluster.stop("nats-2");
      const refused = await store
        .append(stream, [newEvent("CertificateDeleted")], "any")
        .catch((e: unknown) => e);
      assert.ok(isCertplaneError(refused) && refused.retryable, `a retryable error, got ${String(refused)}`);
      assert.match((refused as Error).message, /^appending to certificate-.*no leader.*retry$/);
      console.log(`without quorum: ${(refused as Error).message}`);

      await cluster.restart("nats-1");
      await cluster.restart("nats-2");
      const again = newEvent("CertificateDeleted");
      await pollUntil(() => store.append(stream, [again], "any"), {
        what: "an append once the quorum is back",
        timeoutMs: 60_000,
        intervalMs: 250,
      });
      // The same holds once the quorum is back.
      const read = await pollUntil(() => store.read(stream), {
        what: "a read once the quorum is back",
        timeoutMs: 60_000,
        intervalMs: 250,
      });
      assert.deepEqual(read.events.map((e) => e.id).slice(-1), [again.id]);
    } finally {
      await store.close();
    }
  });
});

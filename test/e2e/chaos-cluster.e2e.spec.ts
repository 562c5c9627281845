// Two instances of every service on the 3-node JetStream cluster of infra/nats/cluster/, sharing
// their work by partition leases: they issue the seed chain with each issuance worked by one
// instance; they issue a burst of Certificates while a random instance is SIGKILLed every ~2 s and
// the events stream's leader is killed once, losing and duplicating nothing; and without a quorum
// the API answers with a retryable error, then catches up once the nodes are back.
// CERTPLANE_CHAOS_SEED replays a run's faults; CERTPLANE_CHAOS_CERTIFICATES sizes the burst.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { RecordedEvent } from "@certplane/domain";
import { seededPrng } from "@certplane/testing";
import { certctl, waitReady } from "./support/certctl.ts";
import {
  applyLeaves,
  CHAOS_NAMESPACE,
  chainManifest,
  chaosSeed,
  checkAfterChaos,
  readAllEvents,
  readyLeaves,
  startFaults,
} from "./support/chaos.ts";
import type { ClusterPlane } from "./support/cluster-plane.ts";
import { startClusterPlane } from "./support/cluster-plane.ts";
import { applySeedAndWait, assertSeedChainFiles } from "./support/seed-chain.ts";
import { eventually } from "./support/service-process.ts";

const certificates = Number(process.env.CERTPLANE_CHAOS_CERTIFICATES || 1000);
const KILLS = 25;

describe("two instances of every service on a 3-node JetStream cluster", () => {
  let plane: ClusterPlane;
  let dir: string;
  const log = (line: string) => process.stderr.write(`# ${line}\n`);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "certplane-chaos-cluster-"));
    plane = await startClusterPlane({ instancesPerService: 2, partitions: 8 });
  });

  after(async () => {
    await plane?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("they issue the seed chain, each issuance's events appended by one instance of each service", async () => {
    try {
      await applySeedAndWait(plane.grpcServers[0] as string);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${plane.logs()}`);
    }
    await assertSeedChainFiles(plane.secretsDir);
    const events = await readAllEvents(plane);
    const issuance =
      /^(certificate|certificateIssuance|certificateRequest|secret|publication)-(cert-manager|demo-apps)_/;
    const writers = new Map<string, Set<string>>();
    for (const event of events.filter((e: RecordedEvent) => issuance.test(e.stream))) {
      const key = `${event.stream} by ${event.metadata.producer}`;
      const set = writers.get(key) ?? new Set<string>();
      set.add(String(event.metadata.instance));
      writers.set(key, set);
    }
    assert.ok(writers.size >= 9, `the seed's issuance streams: ${[...writers.keys()].join(", ")}`);
    const shared = [...writers].filter(([, instances]) => instances.size > 1);
    assert.deepEqual(shared, [], "a stream written by two instances of one service");
  });

  test(`${certificates} Certificates issue while instances are SIGKILLed every ~2 s and the stream leader once, losing and duplicating nothing`, {
    timeout: 20 * 60_000,
  }, async () => {
    const seed = chaosSeed();
    log(`chaos seed ${seed} (replay with CERTPLANE_CHAOS_SEED=${seed})`);
    const random = seededPrng(seed);
    const chain = join(dir, "chain.yaml");
    await writeFile(chain, chainManifest());
    const server = plane.grpcServers[0] as string;
    assert.equal((await certctl(server, "apply", "-f", chain)).code, 0);
    assert.equal((await waitReady(server, "chaos-root", CHAOS_NAMESPACE)).code, 0);

    // Each restart loads and folds everything again (about 2.5 CPU-seconds of a 2-core machine),
    // so a kill every 2 s for the whole burst would leave little else running: CI kills for the
    // first ~50 s of it; `pnpm chaos` keeps killing to the end.
    const faults = startFaults(plane, random, { log, maxKills: KILLS });
    let records: Awaited<ReturnType<typeof faults.stop>> = [];
    const started = Date.now();
    try {
      const { acknowledged, attempts } = await applyLeaves(plane, dir, certificates, log);
      log(`${acknowledged.size} Certificates acknowledged in ${attempts} apply runs`);
      assert.equal(acknowledged.size, certificates);
      let leaderKilled = false;
      let lastReady: number | undefined;
      await eventually(
        `all ${certificates} Certificates Ready`,
        async () => {
          const ready = await readyLeaves(plane.grpcServers[Math.floor(random() * 2)] as string);
          if (ready !== undefined && ready !== lastReady) {
            lastReady = ready;
            log(`${ready}/${certificates} Ready after ${Math.round((Date.now() - started) / 1000)} s`);
          }
          if (!leaderKilled && ready !== undefined && ready >= certificates / 4) {
            leaderKilled = true;
            await faults.killLeader();
          }
          return ready === certificates ? true : undefined;
        },
        { timeoutMs: 15 * 60_000, intervalMs: 2_000, onTimeout: plane.logs },
      );
      assert.ok(leaderKilled, "the leader was killed while the Certificates issued");
      records = await faults.stop();
      log(
        `all Ready in ${Math.round((Date.now() - started) / 1000)} s through ${records.length} kills: ` +
          records.map((r) => r.what).join(", "),
      );
      const report = await checkAfterChaos(plane, acknowledged);
      log(`checked ${report.events} events`);
      assert.deepEqual(report.lost, [], "acknowledged but not stored");
      assert.deepEqual(report.duplicateRevisions, [], "issued or published twice");
      assert.deepEqual(report.orphanRequests, [], "requests no issuance names");
      assert.deepEqual(report.unverified, [], "secrets that do not verify");
      assert.deepEqual(report.malformedStreams, [], "streams not well-formed");
      // A burst smaller than the default may all be Ready before the last kill.
      const leaderKills = records.filter((r) => r.what.includes("leader")).length;
      assert.equal(leaderKills, 1, "the leader was killed once");
      assert.ok(records.length > 1 && records.length <= KILLS + 1, `${records.length} faults`);
      for (const service of ["signer", "renewal-scheduler", "secret-publisher"]) {
        assert.deepEqual(
          report.workers[service],
          [`${service}-1`, `${service}-2`],
          `${service} shared its work`,
        );
      }
    } catch (error) {
      await faults.stop();
      throw new Error(`${(error as Error).message}\nchaos seed ${seed}`, { cause: error });
    }
  });

  test("without a quorum the API answers with a retryable error, and catches up once the nodes are back", async () => {
    // An intake killed last by the chaos test may still be starting.
    for (const server of plane.grpcServers) {
      await eventually(
        `intake at ${server} to answer`,
        async () => ((await certctl(server, "get", "clusterissuers")).code === 0 ? true : undefined),
        { timeoutMs: 60_000, intervalMs: 500, onTimeout: plane.logs },
      );
    }
    const [first, second] = plane.nodeNames as [string, string];
    await plane.cluster.stop(first);
    await plane.cluster.stop(second);
    const manifest = join(dir, "quorum.yaml");
    await writeFile(
      manifest,
      `apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: after-quorum, namespace: ${CHAOS_NAMESPACE}}
spec:
  secretName: after-quorum-tls
  dnsNames: [after-quorum.chaos.example.com]
  privateKey: {algorithm: ECDSA, size: 256}
  issuerRef: {name: chaos-ca}
`,
    );
    const asked = Date.now();
    const refused = await certctl(plane.grpcServers[0] as string, "apply", "-f", manifest);
    const answeredMs = Date.now() - asked;
    assert.notEqual(refused.code, 0, refused.stdout);
    assert.match(refused.stderr, /retry/i);
    assert.ok(answeredMs < 60_000, `answered after ${answeredMs} ms`);
    log(`without a quorum, apply answered in ${answeredMs} ms: ${refused.stderr.trim()}`);

    const back = Date.now();
    await Promise.all([plane.cluster.restart(first), plane.cluster.restart(second)]);
    await eventually(
      "the apply to be taken once the quorum is back",
      async () =>
        (await certctl(plane.grpcServers[0] as string, "apply", "-f", manifest)).code === 0
          ? true
          : undefined,
      { timeoutMs: 120_000, intervalMs: 1_000, onTimeout: plane.logs },
    );
    // Every replicated stream (the events, the checkpoint and lease buckets) elects its leader
    // again; on nats-server 2.9 that can take a while after two of three nodes were killed.
    const waited = await waitReady(plane.grpcServers[1] as string, "after-quorum", CHAOS_NAMESPACE, "300s");
    assert.equal(waited.code, 0, `${waited.stderr}\n${plane.logs()}`);
    log(`Ready ${Math.round((Date.now() - back) / 1000)} s after the two nodes were started again`);
  });
});

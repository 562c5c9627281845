// The configured secrets directory shared by two publisher instances that share the work: each
// secret's files are compared, written and restored by the holder of its partition alone, and follow
// the partition when it moves.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { secretDecider, streams } from "@certplane/domain/model";
import { MemoryLeaseStore, partitionOf } from "@certplane/event-store";
import { type PartitionLeases, silentLogger } from "@certplane/runtime";
import { FakeTimerClock, startTestWorkShare } from "@certplane/runtime/testing";
import { pollUntil } from "@certplane/testing";
import { FileSecretTarget } from "../adapters/file-secret-target.ts";
import { mirrorSecret } from "../handlers/secret-changed.ts";
import type { PublisherContext } from "../publisher-context.ts";
import type { PublishedSecret, SecretRef, WriteReceipt } from "../secrets/secret-target.ts";
import { PublisherHarness } from "../testing/publisher-harness.ts";
import {
  FILE_DRIFT_RESYNC_MS,
  type MirroredFileDrift,
  restoreMirroredFileDrift,
} from "./mirrored-file-drift.ts";
import type { TargetPublishing } from "./target-publishing.ts";

const PARTITIONS = 4;
const names = Array.from({ length: 8 }, (_, i) => `web-${i}-tls`);

/** A file target that remembers what it wrote and found drifted, so each instance's work can be told apart. */
class CountingFileTarget extends FileSecretTarget {
  readonly writes: string[] = [];
  readonly drifted: string[] = [];

  override async write(secret: PublishedSecret): Promise<WriteReceipt> {
    this.writes.push(secret.name);
    return await super.write(secret);
  }

  override async driftOf(ref: SecretRef): Promise<string | undefined> {
    const drift = await super.driftOf(ref);
    if (drift !== undefined) this.drifted.push(ref.name);
    return drift;
  }
}

/** One publisher process: its partition leases, its file target over the shared directory, its drift restore. */
interface Instance {
  readonly share: PartitionLeases;
  readonly target: CountingFileTarget;
  /** Paces the drift watch's full comparisons. */
  readonly driftClock: FakeTimerClock;
  ctx?: PublisherContext;
  drift?: MirroredFileDrift;
  publishing?: TargetPublishing;
}

describe("one secrets directory shared by two publisher instances", () => {
  let h: PublisherHarness;
  let directory: string;
  let leases: MemoryLeaseStore;
  let leaseClock: FakeTimerClock;
  let running: Instance[];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "certplane-shared-secrets-"));
    h = new PublisherHarness();
    leases = new MemoryLeaseStore();
    leaseClock = new FakeTimerClock();
    running = [];
    for (const name of names) await writeSecret(name);
  });
  afterEach(async () => {
    for (const instance of running) await stop(instance);
    await rm(directory, { recursive: true, force: true, maxRetries: 3 });
  });

  const writeSecret = async (name: string) => {
    await h.ctx.runner.execute(
      streams.secret(h.namespace, name),
      secretDecider,
      {
        type: "WriteSecret",
        name,
        namespace: h.namespace,
        owner: { kind: "Certificate", name, uid: `uid-${name}` },
        content: { type: "kubernetes.io/tls", data: { "tls.crt": `${name}\n` }, sealedData: {} },
        now: h.now(),
      },
      h.userContext(),
    );
  };

  const startInstance = async (instance: string): Promise<Instance> => {
    const share = await startTestWorkShare({
      leases,
      group: "secret-publisher",
      instance,
      partitions: PARTITIONS,
      clock: leaseClock,
    });
    const joined: Instance = {
      share,
      target: new CountingFileTarget({ secretsDir: directory }),
      driftClock: new FakeTimerClock(),
    };
    running.push(joined);
    return joined;
  };

  /** Starts the instance's publishing and drift restore on what its share holds now. */
  const startPublisher = async (instance: Instance) => {
    const { ctx, publishing } = await h.startSharedPublishing(instance.share, [instance.target]);
    instance.ctx = ctx;
    instance.publishing = publishing;
    instance.drift = restoreMirroredFileDrift({
      ctx,
      clock: instance.driftClock,
      logger: silentLogger,
      secretStreams: () => publishing.secretStreams(),
      share: instance.share,
    });
    await instance.drift.idle();
  };

  /** As the service stops: its work first, then its leases, which the others may take at once. */
  const stop = async (instance: Instance) => {
    running = running.filter((other) => other !== instance);
    await instance.drift?.stop();
    await instance.publishing?.stop();
    await instance.share.stop();
  };

  /** Two instances that have split the partitions, each with its publisher started. */
  const startTwo = async () => {
    const a = await startInstance("publisher-a");
    const b = await startInstance("publisher-b");
    await a.share.rebalance();
    await b.share.rebalance();
    await startPublisher(a);
    await startPublisher(b);
    assert.ok(secretsOf(a).length > 0 && secretsOf(b).length > 0, "each instance holds some secrets");
    return [a, b] as const;
  };

  /**
   * Runs each instance's full comparison of its files now, so drift is found whether or not
   * fs.watch reported it (it can miss changes, see file-secret-target-drift.ts).
   */
  const resync = async (instances: readonly Instance[] = running) => {
    for (const { driftClock } of instances) {
      await pollUntil(() => driftClock.armedAt !== undefined, { what: "the drift watch to pause" });
      driftClock.advance(FILE_DRIFT_RESYNC_MS);
    }
  };
  const holds = (instance: Instance, name: string) =>
    instance.share.held().includes(partitionOf(streams.secret(h.namespace, name), PARTITIONS));
  const secretsOf = (instance: Instance) => names.filter((name) => holds(instance, name));
  const writesOf = (instance: Instance, name: string) =>
    instance.target.writes.filter((written) => written === name).length;
  const judged = (instance: Instance) =>
    instance.target
      .written()
      .map((ref) => ref.name)
      .sort();
  const crtOf = (name: string) => join(directory, h.namespace, name, "tls.crt");
  const restored = (name: string) =>
    pollUntil(async () => (await readFile(crtOf(name), "utf8").catch(() => undefined)) === `${name}\n`, {
      what: `${name}'s files restored`,
      timeoutMs: 10_000,
    });

  test("writes every secret's files once, by the instance holding its partition", async () => {
    const [a, b] = await startTwo();
    for (const name of names) {
      const holder = holds(a, name) ? a : b;
      const other = holder === a ? b : a;
      assert.deepEqual(
        [writesOf(holder, name), writesOf(other, name)],
        [1, 0],
        `${name}: written by ${holder.share.instance} only`,
      );
      assert.equal(await readFile(crtOf(name), "utf8"), `${name}\n`);
    }
    assert.deepEqual(judged(a), secretsOf(a).sort(), "a judges drift for its own secrets only");
    assert.deepEqual(judged(b), secretsOf(b).sort(), "b judges drift for its own secrets only");
  });

  test("restores a tampered file by its partition holder only", async () => {
    const [a, b] = await startTwo();
    const ofA = secretsOf(a)[0]!;
    const ofB = secretsOf(b)[0]!;
    await writeFile(crtOf(ofA), "tampered");
    await writeFile(crtOf(ofB), "tampered");
    await resync();
    await restored(ofA);
    await restored(ofB);
    assert.deepEqual([writesOf(a, ofA), writesOf(b, ofA)], [2, 0], `${ofA} restored by a alone`);
    assert.deepEqual([writesOf(a, ofB), writesOf(b, ofB)], [0, 2], `${ofB} restored by b alone`);
  });

  test("leaves drift of a secret outside its partitions to the holder, though it wrote the files", async () => {
    const [a, b] = await startTwo();
    const ofA = secretsOf(a)[0]!;
    // As b's issuing reactor does for a request of b's partitions whose secret is in a's.
    await mirrorSecret(b.ctx!, streams.secret(h.namespace, ofA));
    // a's watch is stopped (its lease is not), so b alone sees the drift.
    await a.drift?.stop();
    await writeFile(crtOf(ofA), "tampered");
    await resync([b]);
    await pollUntil(() => b.target.drifted.includes(ofA), { what: "b to report the drift" });
    await b.drift?.idle();
    assert.equal(writesOf(b, ofA), 1, "b did not restore it");
    assert.equal(await readFile(crtOf(ofA), "utf8"), "tampered", "left for a to restore");
  });

  test("takes over a stopped instance's secrets and restores what changed while nobody held them", async () => {
    const [a, b] = await startTwo();
    const ofA = secretsOf(a)[0]!;
    // A secret of a's partitions created after b started: the takeover must use the current list.
    const late = Array.from({ length: 100 }, (_, i) => `late-${i}-tls`).find((name) => holds(a, name))!;
    await writeSecret(late);
    const lateStream = streams.secret(h.namespace, late);
    await pollUntil(() => b.publishing?.secretStreams().includes(lateStream), {
      what: "b to see the late secret",
    });

    await stop(a);
    await writeFile(crtOf(ofA), "tampered while a was stopped");
    await b.share.rebalance();
    await b.drift?.idle();

    assert.deepEqual(b.share.held(), [0, 1, 2, 3], "b took over a's partitions");
    assert.equal(await readFile(crtOf(ofA), "utf8"), `${ofA}\n`, "restored at the takeover");
    assert.equal(await readFile(crtOf(late), "utf8"), `${late}\n`, "the late secret compared too");
    assert.deepEqual(judged(b), [...names, late].sort(), "b judges drift for every secret now");
  });

  test("stops judging the secrets of a partition it gives back, which their new holder restores", async () => {
    const a = await startInstance("publisher-a");
    await startPublisher(a);
    assert.equal(a.target.writes.length, names.length, "alone, a writes every secret");
    const b = await startInstance("publisher-b");
    await startPublisher(b);
    await a.share.rebalance();
    await b.share.rebalance();
    await b.drift?.idle();
    const givenBack = secretsOf(b);
    assert.ok(givenBack.length > 0, "a gave back partitions with secrets");
    assert.deepEqual(judged(a), secretsOf(a).sort(), "a forgot the secrets it gave back");
    assert.deepEqual(judged(b), givenBack.sort(), "b compared the secrets it took");

    const moved = givenBack[0]!;
    await writeFile(crtOf(moved), "tampered");
    await resync();
    await restored(moved);
    assert.deepEqual([writesOf(a, moved), writesOf(b, moved)], [1, 2], `${moved} restored by b alone`);
  });
});

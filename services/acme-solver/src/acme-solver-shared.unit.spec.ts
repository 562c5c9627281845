// Two acme-solver instances sharing the work on one store, over a fake ACME server and one fake
// DNS zone: each request's Order and Challenges are worked by the instance holding the request's
// partition, the challenge limits hold across the two, and a stopped instance's work moves over.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { setImmediate } from "node:timers/promises";
import type { RecordedEvent } from "@certplane/domain";
import { streams } from "@certplane/domain/model";
import { MemoryLeaseStore } from "@certplane/event-store";
import { type PartitionLeases, silentLogger, startPartitionLeases } from "@certplane/runtime";
import { FakeTimerClock } from "@certplane/runtime/testing";
import { FakeClock } from "@certplane/testing";
import type { AcmeSolverService } from "./service.ts";
import { SolverHarness } from "./testing/acme-solver-harness.ts";
import { FakeAcmeServer } from "./testing/fake-acme-server.ts";
import { FakeDns01Zone } from "./testing/fake-dns01-zone.ts";
import { workPartitionOf } from "./work-partition.ts";

const PARTITIONS = 8;
const ISSUER = "shared-acme";

interface Instance {
  readonly name: string;
  readonly share: PartitionLeases;
  readonly service: AcmeSolverService;
}

describe("acme-solver instances sharing the work", () => {
  let leases: MemoryLeaseStore;
  let timers: FakeTimerClock;
  let acme: FakeAcmeServer;
  let zone: FakeDns01Zone;
  let harness: SolverHarness;
  const shares: PartitionLeases[] = [];

  beforeEach(async () => {
    leases = new MemoryLeaseStore();
    timers = new FakeTimerClock();
    acme = new FakeAcmeServer();
    zone = new FakeDns01Zone();
    // The signer and secret-publisher answer the solvers' partitioned commands, holding every partition.
    const owners = await share("owners", "owners");
    harness = new SolverHarness(new FakeClock(), { ownerShare: owners });
  });
  afterEach(async () => {
    await harness.stopAll();
    for (const leased of shares.splice(0).reverse()) await leased.stop();
  });

  async function share(group: string, instance: string): Promise<PartitionLeases> {
    const leased = await startPartitionLeases({
      leases,
      group,
      instance,
      partitions: PARTITIONS,
      clock: timers,
      logger: silentLogger,
    });
    shares.push(leased);
    return leased;
  }

  /** Two instances, each holding half the partitions, and the ACME issuer they both serve. */
  async function twoInstances(env: Record<string, string> = {}): Promise<[Instance, Instance]> {
    const started: Instance[] = [];
    for (const name of ["solver-a", "solver-b"]) {
      const leased = await share("acme-solver", name);
      const service = await harness.start({
        config: SolverHarness.config({ CERTPLANE_ACME_HTTP01_LISTEN: "", ...env }),
        acmeClientFactory: () => acme.client,
        dns01: zone.support,
        instance: name,
        workShare: leased,
        leases,
        timerClock: timers,
      });
      started.push({ name, share: leased, service });
    }
    for (const { share } of started) await share.rebalance();
    for (const { share } of started) assert.equal(share.held().length, PARTITIONS / 2);
    await harness.applyIssuer(ISSUER, {
      server: "https://acme.test/directory",
      solvers: [{ dns01: { webhook: { groupName: "acme.example.test", solverName: "fake-zone" } } }],
    });
    return started as [Instance, Instance];
  }

  /** Names of requests whose partition `instance` holds. */
  function requestNamesOf(instance: Instance, prefix: string, count: number): string[] {
    const names: string[] = [];
    // `<prefix>-<i>` would read as revisions of one Certificate `<prefix>`, all in its partition.
    for (let i = 0; names.length < count; i++) {
      const stream = streams.certificateRequest(harness.namespace, `${prefix}${i}`);
      if (instance.share.held().includes(workPartitionOf(stream, PARTITIONS))) names.push(`${prefix}${i}`);
    }
    return names;
  }

  const request = (name: string, dnsName: string) => harness.request(name, ISSUER, { dnsNames: [dnsName] });

  /** Polls `check`, letting a second of lease time pass between looks, so waiting challenges retry. */
  const untilWithTime = <T>(check: () => Promise<T | undefined>, what: string) =>
    harness.until(
      async () => {
        timers.advance(1_000);
        return await check();
      },
      20_000,
      what,
    );

  /** Thirty seconds of lease time, twice the ttl, so a lease neither renewed nor released would show. */
  const halfAMinutePasses = async () => {
    for (let i = 0; i < 30; i++) {
      timers.advance(1_000);
      await setImmediate();
    }
  };

  const issued = (streamsOf: readonly string[]) =>
    untilWithTime(async () => {
      const states = await Promise.all(streamsOf.map((s) => harness.requestState(s)));
      return states.every((s) => s.status === "present" && s.phase === "issued") ? states : undefined;
    }, `${streamsOf.length} requests issued`);

  /** Every event of each Order and Challenge, by stream. */
  function solverStreams(): Map<string, RecordedEvent[]> {
    const byStream = new Map<string, RecordedEvent[]>();
    for (const event of harness.store.log.eventsAfter(0, [], Number.MAX_SAFE_INTEGER)) {
      if (/^(order|challenge)-/.test(event.stream)) {
        byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), event]);
      }
    }
    return byStream;
  }

  const challengesCreated = async (count: number) =>
    (await harness.challenges()).length === count ? true : undefined;

  it("works each request's Order and Challenges on the instance holding the request's partition alone", async () => {
    const [a, b] = await twoInstances();
    const names = [...requestNamesOf(a, "web", 3), ...requestNamesOf(b, "api", 3)];
    zone.propagate();
    const requests = await Promise.all(names.map((name) => request(name, `${name}.example.test`)));
    await issued(requests.map((r) => r.stream));
    const solved = solverStreams();
    assert.equal(solved.size, 12, "an Order and a Challenge per request");
    for (const [stream, events] of solved) {
      const holder = a.share.held().includes(workPartitionOf(stream, PARTITIONS)) ? a.name : b.name;
      assert.deepEqual(
        [...new Set(events.map((event) => event.metadata.instance))],
        [holder],
        `${stream}: every event from ${holder}`,
      );
    }
  });

  it("never presents two challenges for one DNS name at once, though two instances hold them", async () => {
    const [a, b] = await twoInstances();
    const [onA] = requestNamesOf(a, "same-a", 1);
    const [onB] = requestNamesOf(b, "same-b", 1);
    const requests = [await request(onA!, "same.example.test"), await request(onB!, "same.example.test")];
    await untilWithTime(() => challengesCreated(2), "both challenges created");
    await untilWithTime(async () => (zone.up === 1 ? true : undefined), "one challenge presented");
    await halfAMinutePasses();
    assert.equal(zone.up, 1, "the other waits for the name");
    zone.propagate();
    await issued(requests.map((r) => r.stream));
    assert.equal(zone.mostUnderOneName, 1);
    const presenters = [...solverStreams()]
      .filter(([stream]) => stream.startsWith("challenge-"))
      .map(([, events]) => events.find((e) => e.type === "ChallengePresented")?.metadata.instance);
    assert.deepEqual(presenters.sort(), [a.name, b.name], "one presented on each instance");
  });

  it("keeps the challenges in flight across both instances at the configured maximum", async () => {
    const [a, b] = await twoInstances({ CERTPLANE_ACME_MAX_CONCURRENT_CHALLENGES: "2" });
    const names = [...requestNamesOf(a, "slot-a", 3), ...requestNamesOf(b, "slot-b", 3)];
    const requests = await Promise.all(names.map((name) => request(name, `${name}.example.test`)));
    await untilWithTime(() => challengesCreated(6), "six challenges created");
    await untilWithTime(async () => (zone.up === 2 ? true : undefined), "two challenges presented");
    await halfAMinutePasses();
    assert.equal(zone.up, 2, "the four others wait, on both instances");
    zone.propagate();
    await issued(requests.map((r) => r.stream));
    assert.equal(zone.mostAtOnce, 2);
  });

  it("runs a challenge again once it has its name back, after the name's lease was taken from it", async () => {
    const [a] = await twoInstances();
    const [name] = requestNamesOf(a, "taken", 1);
    const { stream } = await request(name!, "taken.example.test");
    await untilWithTime(async () => (zone.up === 1 ? true : undefined), "the challenge presented");
    // As if a's lease had run out unrenewed and another holder had taken it.
    const [lease] = await leases.list("acme.challenges.");
    await leases.release(lease!);
    const intruder = await leases.acquire(lease!.key, "intruder", 60_000, timers.now().getTime());
    await halfAMinutePasses();
    zone.propagate();
    await leases.release(intruder!);
    await issued([stream]);
  });

  it("takes over a stopped instance's Orders and Challenges where it left them", async () => {
    const [a, b] = await twoInstances();
    const names = requestNamesOf(a, "moved", 2);
    const requests = await Promise.all(names.map((name) => request(name, `${name}.example.test`)));
    await untilWithTime(async () => (zone.up === 2 ? true : undefined), "a's challenges presented");
    await a.service.stop();
    await a.share.stop();
    await b.share.rebalance();
    assert.equal(b.share.held().length, PARTITIONS, "b holds a's partitions too");
    zone.propagate();
    await issued(requests.map((r) => r.stream));
    for (const [stream, events] of solverStreams()) {
      const by = events.map((event) => event.metadata.instance);
      const firstOfB = by.indexOf(b.name);
      assert.ok(firstOfB > 0, `${stream}: begun by a`);
      assert.deepEqual(by.slice(0, firstOfB), Array(firstOfB).fill(a.name), `${stream}: a, then`);
      assert.deepEqual(
        by.slice(firstOfB),
        Array(by.length - firstOfB).fill(b.name),
        `${stream}: b to the end`,
      );
    }
  });
});

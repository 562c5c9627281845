import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { afterEach, describe, it } from "node:test";
import { certificateRequestDecider, streams } from "@certplane/domain/model";
import { MemoryLeaseStore, partitionOf } from "@certplane/event-store";
import { type PartitionLeases, silentLogger, startPartitionLeases } from "@certplane/runtime";
import { FakeTimerClock } from "@certplane/runtime/testing";
import { pollUntil } from "@certplane/testing";
import type { RenewalSchedulerConfig } from "./config.ts";
import { parseRenewalSchedulerConfig } from "./config.ts";
import { startRenewalSchedulerService } from "./index.ts";
import { NAMESPACE, SimulatedControlPlane } from "./testing/simulated-publisher.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = "2026-03-02T00:00:00.000Z"; // a Monday

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const service of running.splice(0)) await service.stop();
});

async function setup(config: RenewalSchedulerConfig = parseRenewalSchedulerConfig({})) {
  const clock = new FakeTimerClock(T0);
  const plane = new SimulatedControlPlane(clock);
  running.push(plane);
  const start = async (share?: PartitionLeases) => {
    const service = await startRenewalSchedulerService({
      store: plane.store,
      bus: plane.bus,
      clock,
      newId: randomUUID,
      logger: silentLogger,
      config,
      ...(share === undefined ? {} : { instance: share.instance, workShare: share }),
    });
    running.push(service);
    return service;
  };
  return { clock, plane, start };
}

const at = (offsetMs: number) => new Date(Date.parse(T0) + offsetMs).toISOString();

async function issuing(plane: SimulatedControlPlane, name: string) {
  return plane.issuing(name);
}

/** The failure `name` waits out the backoff of, if it is waiting. */
async function backingOff(plane: SimulatedControlPlane, name: string) {
  const { phase } = await plane.certificate(name);
  return phase.kind === "failed" ? phase.failure : undefined;
}

describe("renewal scheduler", () => {
  it("renews a 1h certificate with renewBefore 30m at 30m: revision 2, new serial", async () => {
    const { clock, plane, start } = await setup();
    await start();
    await plane.apply("short", { duration: "1h", renewBefore: "30m" });
    const firstSerial = await plane.completeIssuance("short", HOUR);
    await pollUntil(async () => clock.armedAt === at(30 * MINUTE) || undefined, { what: "a wake at 30m" });

    clock.set(at(30 * MINUTE - 1000));
    assert.notEqual((await plane.certificate("short")).phase.kind, "issuing");
    clock.set(at(30 * MINUTE));
    const trigger = await issuing(plane, "short");
    assert.equal(trigger.reason, "Renewing");
    assert.equal(trigger.revision, 2);

    const secondSerial = await plane.completeIssuance("short", HOUR);
    const cert = await plane.certificate("short");
    assert.equal(cert.issued?.revision, 2);
    assert.equal(cert.issued?.serialNumber, secondSerial);
    assert.notEqual(secondSerial, firstSerial);
  });

  it("renews a 90d certificate with renewBefore 15d at day 75, and one without either field at two thirds", async () => {
    const { clock, plane, start } = await setup();
    await start();
    await plane.apply("myapp-tls", { duration: "2160h", renewBefore: "360h" });
    await plane.apply("plain", { duration: "3h" });
    await plane.completeIssuance("myapp-tls", 90 * DAY);
    await plane.completeIssuance("plain", 3 * HOUR);

    await pollUntil(async () => clock.armedAt === at(2 * HOUR) || undefined, { what: "a wake at 2h" });
    clock.set(at(2 * HOUR));
    assert.equal((await issuing(plane, "plain")).reason, "Renewing");

    await pollUntil(async () => clock.armedAt === at(75 * DAY) || undefined, { what: "a wake at day 75" });
    assert.equal(clock.pendingSleeps, 1, "one armed timer, whatever the number of certificates");
    clock.set(at(75 * DAY));
    assert.equal((await issuing(plane, "myapp-tls")).reason, "Renewing");
  });

  it("backs off failures 1h, 2h, 4h and shows the next attempt", async () => {
    const { clock, plane, start } = await setup();
    await start();
    await plane.apply("flaky");
    let elapsed = 0;
    for (const waitHours of [1, 2, 4]) {
      await issuing(plane, "flaky");
      await plane.fail("flaky");
      const retryAt = at(elapsed + waitHours * HOUR);
      const failure = await pollUntil(
        async () => {
          const failure = await backingOff(plane, "flaky");
          return failure?.nextAttemptTime === retryAt ? failure : undefined;
        },
        { what: `next attempt at ${retryAt}` },
      );
      assert.equal(failure?.attempts, [1, 2, 4].indexOf(waitHours) + 1);
      await pollUntil(async () => clock.armedAt === retryAt || undefined, { what: `a wake at ${retryAt}` });
      clock.set(at(elapsed + waitHours * HOUR - 1000));
      assert.notEqual((await plane.certificate("flaky")).phase.kind, "issuing");
      elapsed += waitHours * HOUR;
      clock.set(at(elapsed));
      assert.equal((await issuing(plane, "flaky")).reason, "DoesNotExist");
    }
  });

  it("skips the backoff at once when the spec changes", async () => {
    const { plane, start } = await setup();
    await start();
    await plane.apply("edited");
    await plane.fail("edited");
    await pollUntil(async () => (await backingOff(plane, "edited"))?.nextAttemptTime, {
      what: "backoff",
    });
    await plane.apply("edited", { dnsNames: ["new.example"] });
    // Nothing was issued yet, so cert-manager's chain names the missing secret first.
    assert.equal((await issuing(plane, "edited")).reason, "DoesNotExist");
  });

  it("issues a new Certificate at once: revision 1, its first request, the secret missing", async () => {
    const { plane, start } = await setup();
    await start();
    await plane.apply("fresh");
    const trigger = await issuing(plane, "fresh");
    assert.deepEqual(
      [trigger.reason, trigger.message, trigger.requestName, trigger.revision],
      ["DoesNotExist", "Issuing certificate as Secret does not exist", "fresh-1", 1],
    );
    const [event] = (await plane.store.read(streams.certificateIssuance(NAMESPACE, "fresh"))).events;
    assert.deepEqual(
      [event?.metadata.producer, event?.metadata.actor],
      ["renewal-scheduler", "service:renewal-scheduler"],
    );
  });

  it("reissues an issued Certificate whose issuance field changed, naming the field", async () => {
    const { plane, start } = await setup();
    await start();
    await plane.apply("changing", { dnsNames: ["a.example"] });
    await plane.completeIssuance("changing", 90 * DAY);
    await plane.apply("changing", { dnsNames: ["b.example"] });
    const trigger = await issuing(plane, "changing");
    assert.equal(trigger.reason, "RequestChanged");
    assert.match(trigger.message, /spec\.dnsNames/);
    assert.equal(trigger.requestName, "changing-2");
  });

  it("records the renewal time in the same commit as the issuance the publisher reports", async () => {
    const { plane, start } = await setup();
    await start();
    await plane.apply("timed", { duration: "2160h", renewBefore: "720h" });
    await plane.completeIssuance("timed", 90 * DAY);
    const events = (await plane.store.read(streams.certificateIssuance(NAMESPACE, "timed"))).events;
    const issued = events.find((e) => e.type === "CertificateIssued")!;
    const scheduled = events.find((e) => e.type === "RenewalScheduled")!;
    assert.equal(scheduled.version, issued.version, "one commit");
    assert.equal((scheduled.data as { renewalTime: string }).renewalTime, at(60 * DAY));
    assert.deepEqual(
      [issued.metadata.producer, issued.metadata.command?.sender],
      ["renewal-scheduler", "secret-publisher"],
    );
  });

  it("reissues when the secret is deleted", async () => {
    const { plane, start } = await setup();
    await start();
    await plane.apply("gone");
    await plane.completeIssuance("gone", 90 * DAY);
    await plane.deleteSecret("gone");
    const trigger = await issuing(plane, "gone");
    assert.equal(trigger.reason, "DoesNotExist");
    assert.equal(trigger.message, "Issuing certificate as Secret does not exist");
  });

  it("renews at once, exactly once, when two instances start after the renewal time passed", async () => {
    const { clock, plane, start } = await setup();
    const first = await start();
    await plane.apply("late", { duration: "1h", renewBefore: "30m" });
    await plane.completeIssuance("late", HOUR);
    running.splice(running.indexOf(first), 1);
    await first.stop();
    clock.set(at(45 * MINUTE));
    await Promise.all([start(), start()]);
    await issuing(plane, "late");
    await plane.completeIssuance("late", HOUR);
    const cert = await plane.certificate("late");
    assert.deepEqual(
      cert.history.map((h) => [h.revision, h.trigger, h.outcome]),
      [
        [1, "DoesNotExist", "issued"],
        [2, "Renewing", "issued"],
      ],
    );
    await pollUntil(async () => clock.armedAt === at(75 * MINUTE) || undefined, {
      what: "the next renewal at 45m + 30m",
    });
    assert.equal((await plane.certificate("late")).requestCount, 2);
  });

  it("never renews when renewal is disabled", async () => {
    const { clock, plane, start } = await setup();
    await start();
    await plane.apply("manual", { renewal: { policy: "Disabled" } });
    await plane.completeIssuance("manual", HOUR);
    const renewal = await pollUntil(async () => (await plane.certificate("manual")).renewal, {
      what: "the recorded schedule",
    });
    assert.deepEqual(renewal, { revision: 1 });
    clock.set(at(2 * HOUR));
    assert.equal(clock.armedAt, undefined);
    assert.notEqual((await plane.certificate("manual")).phase.kind, "issuing");
  });

  it("moves the renewal to the next window and records it", async () => {
    const { clock, plane, start } = await setup();
    await start();
    // Two thirds of 3h is 02:00 Monday; the window opens at 02:30 daily.
    await plane.apply("windowed", {
      duration: "3h",
      renewal: { windows: [{ cron: "30 2 * * *", windowDuration: "10m" }] },
    });
    await plane.completeIssuance("windowed", 3 * HOUR);
    const renewal = await pollUntil(async () => (await plane.certificate("windowed")).renewal, {
      what: "the recorded schedule",
    });
    assert.deepEqual(renewal, { revision: 1, renewalTime: at(150 * MINUTE) });
    await pollUntil(async () => clock.armedAt === at(150 * MINUTE) || undefined, {
      what: "a wake at the window",
    });
    clock.set(at(2 * HOUR));
    assert.notEqual((await plane.certificate("windowed")).phase.kind, "issuing");
    clock.set(at(150 * MINUTE));
    assert.equal((await issuing(plane, "windowed")).reason, "Renewing");
  });

  it("trims CertificateRequests beyond revisionHistoryLimit while the history keeps them", async () => {
    const { clock, plane, start } = await setup();
    await start();
    await plane.apply("trimmed", { duration: "1h" });
    await plane.completeIssuance("trimmed", HOUR);
    await pollUntil(async () => clock.armedAt === at(40 * MINUTE) || undefined, { what: "the renewal wake" });
    clock.set(at(40 * MINUTE));
    await issuing(plane, "trimmed");
    await plane.completeIssuance("trimmed", HOUR);
    const first = await pollUntil(
      async () => {
        const { state } = await plane.runner.load(
          streams.certificateRequest(NAMESPACE, "trimmed-1"),
          certificateRequestDecider,
        );
        return state.status === "deleted" ? state : undefined;
      },
      { what: "trimmed-1 to be deleted" },
    );
    assert.equal(first.status, "deleted");
    const { state: second } = await plane.runner.load(
      streams.certificateRequest(NAMESPACE, "trimmed-2"),
      certificateRequestDecider,
    );
    assert.equal(second.status, "present");
    assert.equal((await plane.certificate("trimmed")).history.length, 2);
  });

  it("fires each renewal once, from the instance holding its partition, and an instance's share after it stops", async () => {
    const { clock, plane, start } = await setup();
    // The leases keep their own clock here, so moving renewal time does not run them out.
    const leaseClock = new FakeTimerClock(T0);
    const leases = new MemoryLeaseStore();
    const share = (instance: string) =>
      startPartitionLeases({
        leases,
        group: "renewal-scheduler",
        instance,
        partitions: 4,
        clock: leaseClock,
        logger: silentLogger,
      });
    const [a, b] = [await share("scheduler-a"), await share("scheduler-b")];
    running.push(a, b);
    await a.rebalance();
    await b.rebalance();
    await start(a);
    await start(b);
    const names = Array.from({ length: 8 }, (_, i) => `shared-${i}`);
    for (const name of names) {
      await plane.apply(name, { duration: "1h", renewBefore: "30m" });
      await plane.completeIssuance(name, HOUR);
    }
    const holder = (name: string) =>
      a.held().includes(partitionOf(streams.certificateIssuance(NAMESPACE, name), 4))
        ? "scheduler-a"
        : "scheduler-b";
    const renewals = async (name: string) =>
      (await plane.store.read(streams.certificateIssuance(NAMESPACE, name))).events.filter(
        (event) =>
          event.type === "IssuanceTriggered" && (event.data as { reason?: string }).reason === "Renewing",
      );

    clock.set(at(30 * MINUTE));
    for (const name of names) {
      await issuing(plane, name);
      const triggered = await renewals(name);
      assert.equal(triggered.length, 1, `${name} renewed once`);
      assert.equal(triggered[0]?.metadata.instance, holder(name), name);
      await plane.completeIssuance(name, HOUR);
    }
    assert.ok(new Set(names.map(holder)).size === 2, "both instances had certificates to renew");

    await a.stop();
    await b.rebalance();
    clock.set(at(60 * MINUTE));
    for (const name of names) {
      await issuing(plane, name);
      const triggered = await renewals(name);
      assert.equal(triggered.length, 2, `${name} renewed once more`);
      assert.equal(triggered[1]?.metadata.instance, "scheduler-b", `${name} by the instance left`);
    }
  });
});

// The challenge limits of solver instances sharing the work: the shared contract, then what only
// leases add, two instances on one lease store and a holder that stops renewing.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { setImmediate } from "node:timers/promises";
import { MemoryLeaseStore } from "@certplane/event-store";
import { silentLogger } from "@certplane/runtime";
import { FakeTimerClock } from "@certplane/runtime/testing";
import type { ChallengePermit, ChallengeToRun } from "./challenge-limiter.ts";
import { challengeLimiterContract } from "./challenge-limiter-contract.ts";
import { LeasedChallengeSlots } from "./leased-challenge-slots.ts";

const TTL = 15_000;
const RETRY = 1_000;

const slots = (leases: MemoryLeaseStore, clock: FakeTimerClock, instance: string, max: number) =>
  new LeasedChallengeSlots({
    leases,
    instance,
    max,
    clock,
    logger: silentLogger,
    ttlMs: TTL,
    retryMs: RETRY,
  });

/** Moves `clock` by `ms` and lets every wait that came due run to its next wait. */
const pass = async (clock: FakeTimerClock, ms: number) => {
  clock.advance(ms);
  await setImmediate();
};

challengeLimiterContract({
  implementation: "leased slots",
  open: async (max) => {
    const clock = new FakeTimerClock();
    return {
      limiter: slots(new MemoryLeaseStore(), clock, "solver-a", max),
      turn: () => pass(clock, RETRY),
      close: async () => undefined,
    };
  },
});

describe("leased challenge slots shared by two instances", () => {
  // Ends the waits a failed test leaves behind.
  const waits = new AbortController();
  after(() => waits.abort());
  const challenge = (stream: string, dnsName: string): ChallengeToRun => ({
    stream,
    type: "DNS-01",
    dnsName,
  });
  const watch = (pending: Promise<ChallengePermit | undefined>) => {
    const seen: { permit?: ChallengePermit } = {};
    void pending.then((permit) => {
      if (permit) seen.permit = permit;
    });
    return seen;
  };

  it("keep one DNS name to one challenge at a time across the instances", async () => {
    const [leases, clock] = [new MemoryLeaseStore(), new FakeTimerClock()];
    const [a, b] = [slots(leases, clock, "solver-a", 10), slots(leases, clock, "solver-b", 10)];
    const onA = watch(a.acquire(challenge("challenge-apps_x1", "*.wild.test"), waits.signal));
    await pass(clock, 0);
    const onB = watch(b.acquire(challenge("challenge-apps_x2", "*.wild.test"), waits.signal));
    for (let i = 0; i < 30; i++) await pass(clock, RETRY);
    assert.ok(onA.permit);
    assert.equal(Boolean(onB.permit), false, "b waits for the name a holds, past the leases' ttl");
    await onA.permit.release();
    await pass(clock, RETRY);
    assert.ok(onB.permit, "a released the name: b has it at its next try, not once it runs out");
    await onB.permit.release();
  });

  it("keep the challenges in flight in the whole group at max", async () => {
    const [leases, clock] = [new MemoryLeaseStore(), new FakeTimerClock()];
    const [a, b] = [slots(leases, clock, "solver-a", 2), slots(leases, clock, "solver-b", 2)];
    const taken = [
      watch(a.acquire(challenge("challenge-apps_a1", "a1.test"), waits.signal)),
      watch(b.acquire(challenge("challenge-apps_b1", "b1.test"), waits.signal)),
    ];
    await pass(clock, 0);
    const waiting = [
      watch(a.acquire(challenge("challenge-apps_a2", "a2.test"), waits.signal)),
      watch(b.acquire(challenge("challenge-apps_b2", "b2.test"), waits.signal)),
    ];
    const inFlight = () => [...taken, ...waiting].filter((w) => w.permit).length;
    for (let i = 0; i < 30; i++) {
      await pass(clock, RETRY);
      assert.equal(inFlight(), 2, `two in flight at +${i + 1} s`);
    }
    await taken[0]?.permit?.release();
    await pass(clock, RETRY);
    assert.equal(waiting.filter((w) => w.permit).length, 1, "one waiter, of either instance, took the slot");
    await Promise.all([...taken.slice(1), ...waiting].map((w) => w.permit?.release()));
  });

  it("lose a permit whose holder stopped renewing once its lease ran out, and the other takes the name", async () => {
    const leases = new MemoryLeaseStore();
    // Each instance on its own clock: a stands still (paused, cut off), b's time goes on.
    const [clockA, clockB] = [new FakeTimerClock(), new FakeTimerClock()];
    const a = slots(leases, clockA, "solver-a", 10);
    const b = slots(leases, clockB, "solver-b", 10);
    const onA = watch(a.acquire(challenge("challenge-apps_y1", "y.test"), waits.signal));
    await pass(clockA, 0);
    const onB = watch(b.acquire(challenge("challenge-apps_y2", "y.test"), waits.signal));
    for (let elapsed = RETRY; elapsed < TTL; elapsed += RETRY) await pass(clockB, RETRY);
    assert.equal(Boolean(onB.permit), false, "not before a's lease has run out");
    await pass(clockB, RETRY);
    assert.ok(onB.permit, "then b takes the name");
    assert.equal(onA.permit?.lost.aborted, false, "a has not tried to renew yet");
    await pass(clockA, TTL / 3);
    assert.equal(onA.permit?.lost.aborted, true, "a learns at its next renewal that it lost the lease");
    assert.equal(onB.permit.lost.aborted, false);
    await Promise.all([onA.permit?.release(), onB.permit.release()]);
  });
});

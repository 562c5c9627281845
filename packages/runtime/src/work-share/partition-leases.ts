// N instances of a service share its work: the streams are split into P partitions (event-store
// partitions.ts) and each instance holds leases on its fair share of them. Everything the service
// does per aggregate follows the partitions it holds (its reactors now; commands and timers are to
// follow), so one aggregate's events are handled in order by one instance at a time. The members
// rebalance whenever one joins, leaves or stops renewing.
//
// A lease lasts `ttlMs` and is renewed every third of that. An instance that cannot renew gives a
// partition up as soon as its own record of the lease expires, which is no later than anyone else
// may take it over, so two instances never work one partition at once while their clocks agree;
// the work stays idempotent all the same, which covers the rest.
import type { LeaseRecord, LeaseStore } from "@certplane/event-store";
import { assertLeaseKey, assertPartition, isLive } from "@certplane/event-store";
import type { Logger } from "../logger.ts";
import type { TimerClock } from "../timers/timer-clock.ts";
import { planPartitions } from "./partition-plan.ts";

export interface WorkShareOptions {
  readonly leases: LeaseStore;
  /** The group sharing the work: the service's name. */
  readonly group: string;
  /** This process's name in its group: unique among the instances, stable across restarts if possible. */
  readonly instance: string;
  /** How many partitions the streams are split into; the same for every instance of every service. */
  readonly partitions: number;
  readonly clock: TimerClock;
  readonly ttlMs?: number;
  readonly logger: Logger;
}

/** Told which partitions this instance gained and lost; awaited before leases are given up or used. */
export type PartitionListener = (change: {
  gained: readonly number[];
  lost: readonly number[];
}) => Promise<void>;

/** The partitions one instance holds, as the service's parts see them. */
export interface WorkShare {
  readonly instance: string;
  readonly partitions: number;
  held(): readonly number[];
  /** Whether this instance may work `index` now: it holds a lease on it that has not run out. */
  holds(index: number): boolean;
  /** Calls `listener` with every change from now on; it should start on what `held()` says already. */
  onChange(listener: PartitionListener): () => void;
}

export interface PartitionLeases extends WorkShare {
  /** Renews, rebalances and starts or stops partitions now (it also happens every ttl/3 on its own). */
  rebalance(): Promise<void>;
  /** Stops every partition's work and releases the leases, so the others take them over at once. */
  stop(): Promise<void>;
}

export const DEFAULT_LEASE_TTL_MS = 15_000;

export async function startPartitionLeases(options: WorkShareOptions): Promise<PartitionLeases> {
  const { leases, group, instance, partitions, clock } = options;
  assertPartition({ index: 0, count: partitions }, "partitions");
  const ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  const memberKey = `members.${group}.${instance}`;
  const partitionKey = (index: number) => `partitions.${group}.${partitions}.${index}`;
  assertLeaseKey(memberKey, "instance");
  const log = options.logger.child({ workGroup: group, instance });
  const held = new Map<number, LeaseRecord>();
  const listeners = new Set<PartitionListener>();
  const stopped = new AbortController();
  let member: LeaseRecord | undefined;

  const notify = async (gained: readonly number[], lost: readonly number[]) => {
    if (gained.length + lost.length === 0) return;
    for (const listener of listeners) await listener({ gained, lost });
  };

  async function renewHeld(now: number): Promise<number[]> {
    const lost: number[] = [];
    for (const [index, lease] of [...held]) {
      let renewed: LeaseRecord | undefined;
      try {
        renewed = await leases.renew(lease, ttlMs, now);
      } catch (error) {
        // The lease store is out of reach: keep working while our record is live, stop once it is not.
        if (isLive(lease, now)) continue;
        log.warn(`partition ${index} given up: its lease ran out while the lease store was unreachable`, {
          partition: index,
          error,
        });
      }
      if (renewed === undefined) {
        held.delete(index);
        lost.push(index);
      } else held.set(index, renewed);
    }
    return lost;
  }

  async function tick(): Promise<void> {
    const now = clock.now().getTime();
    const lost = await renewHeld(now);
    await notify([], lost);
    member =
      (member && (await leases.renew(member, ttlMs, now))) ??
      (await leases.acquire(memberKey, instance, ttlMs, now));
    const liveMembers = (await leases.list(`members.${group}.`)).filter((record) =>
      isLive(record, now),
    ).length;
    const records = await leases.list(`partitions.${group}.${partitions}.`);
    const byIndex = new Map(records.map((r) => [Number(r.key.slice(r.key.lastIndexOf(".") + 1)), r]));
    const plan = planPartitions({
      partitions,
      instance,
      held: [...held.keys()],
      leases: byIndex,
      liveMembers,
      now,
    });
    if (plan.release.length > 0) {
      // Work stops before the lease goes, so the next holder never overlaps with us.
      await notify([], plan.release);
      for (const index of plan.release) {
        const lease = held.get(index);
        held.delete(index);
        if (lease !== undefined) await leases.release(lease).catch(() => undefined);
      }
      log.info(`gave back partitions ${plan.release.join(", ")} for ${liveMembers} instances`);
    }
    const gained: number[] = [];
    for (const index of plan.candidates) {
      if (held.size >= plan.fair || stopped.signal.aborted) break;
      const lease = await leases.acquire(partitionKey(index), instance, ttlMs, now);
      if (lease === undefined) continue;
      held.set(index, lease);
      gained.push(index);
    }
    if (gained.length > 0)
      log.info(`took partitions ${gained.join(", ")}`, { held: held.size, fair: plan.fair });
    await notify(gained, []);
  }

  // Ticks never overlap: the loop's and rebalance()'s run one after another.
  let ticking = Promise.resolve();
  const runTick = () => {
    ticking = ticking
      .then(tick)
      .catch((error: unknown) => log.warn("rebalancing failed; trying again", { error }));
    return ticking;
  };

  await runTick();
  const loop = (async () => {
    while (!stopped.signal.aborted) {
      await clock.sleepUntil(new Date(clock.now().getTime() + ttlMs / 3), stopped.signal);
      if (!stopped.signal.aborted) await runTick();
    }
  })();

  return {
    instance,
    partitions,
    held: () => [...held.keys()].sort((a, b) => a - b),
    holds: (index) => {
      const lease = held.get(index);
      return lease !== undefined && isLive(lease, clock.now().getTime());
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    rebalance: runTick,
    async stop() {
      stopped.abort();
      await loop;
      await ticking;
      const all = [...held.keys()];
      await notify([], all).catch((error: unknown) =>
        log.warn("partition work did not stop cleanly", { error }),
      );
      for (const lease of held.values()) await leases.release(lease).catch(() => undefined);
      held.clear();
      if (member !== undefined) await leases.release(member).catch(() => undefined);
    },
  };
}

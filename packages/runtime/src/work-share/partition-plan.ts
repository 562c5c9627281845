// Who takes which partitions: each live member of a group aims for its fair share, ceil(P / members),
// so together they hold every partition and none holds more than one over another. Decided from
// what the lease records say, by every member for itself; no coordinator is needed because a take is
// a compare-and-set that only one member can win.
import type { LeaseRecord } from "@certplane/event-store";
import { hashSlot, isLive } from "@certplane/event-store";

export interface PlanInput {
  readonly partitions: number;
  readonly instance: string;
  /** Partitions this instance holds now. */
  readonly held: readonly number[];
  /** The group's partition leases, by partition index. */
  readonly leases: ReadonlyMap<number, LeaseRecord>;
  readonly liveMembers: number;
  readonly now: number;
}

export interface PartitionPlan {
  readonly fair: number;
  /** Held partitions to give back, so a member that joined can take its share. */
  readonly release: readonly number[];
  /** Partitions nobody live holds, in this instance's order of preference, to try until the share is full. */
  readonly candidates: readonly number[];
}

export function planPartitions(input: PlanInput): PartitionPlan {
  const { partitions, held, leases, now } = input;
  const fair = Math.ceil(partitions / Math.max(1, input.liveMembers));
  const release = [...held].sort((a, b) => b - a).slice(0, Math.max(0, held.length - fair));
  // Each instance starts looking at its own place in the ring, so members rarely race for one lease.
  const start = hashSlot(input.instance, partitions);
  const candidates = Array.from({ length: partitions }, (_, i) => (start + i) % partitions).filter(
    (index) => {
      if (held.includes(index)) return false;
      const lease = leases.get(index);
      // Its own live lease is one a restarted instance of the same name takes straight back.
      return lease === undefined || !isLive(lease, now) || lease.holder === input.instance;
    },
  );
  return { fair, release, candidates: held.length >= fair ? [] : candidates };
}

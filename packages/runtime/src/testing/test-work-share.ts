import type { LeaseStore } from "@certplane/event-store";
import { silentLogger } from "../logger.ts";
import type { TimerClock } from "../timers/timer-clock.ts";
import { type PartitionLeases, startPartitionLeases } from "../work-share/partition-leases.ts";

/** One instance's share of its group's partitions, for specs of instances sharing the work. */
export function startTestWorkShare(options: {
  readonly leases: LeaseStore;
  readonly group: string;
  readonly instance: string;
  readonly partitions: number;
  readonly clock: TimerClock;
}): Promise<PartitionLeases> {
  return startPartitionLeases({ ...options, logger: silentLogger });
}

// A reactor whose work is shared by the service's instances: one subscription per partition this
// instance holds (partition-leases.ts), each under its own durable checkpoint, started and stopped
// as the partitions move. An instance that has lost a partition but not yet heard leaves its events
// for the new holder.
import { TransientError } from "@certplane/domain";
import type { EventStore, Subscription } from "@certplane/event-store";
import { type ReactorOptions, startReactor } from "../reactor.ts";
import type { WorkShare } from "./partition-leases.ts";

class PartitionNotHeldError extends TransientError {}

export async function startSharedReactor(
  store: EventStore,
  reactor: ReactorOptions,
  share: WorkShare,
): Promise<Subscription> {
  const running = new Map<number, Promise<Subscription>>();
  const start = (index: number) => {
    running.set(
      index,
      startReactor(store, {
        ...reactor,
        name: `${reactor.name}-p${index}of${share.partitions}`,
        partition: { index, count: share.partitions },
        handle: async (event) => {
          if (!share.holds(index)) {
            throw new PartitionNotHeldError(
              `partition ${index} of ${reactor.name} is not held here any more`,
            );
          }
          await reactor.handle(event);
        },
      }),
    );
  };
  const stop = async (index: number) => {
    const subscription = running.get(index);
    running.delete(index);
    await (await subscription)?.stop();
  };
  const unsubscribe = share.onChange(async ({ gained, lost }) => {
    await Promise.all(lost.map(stop));
    for (const index of gained) start(index);
    await Promise.all(gained.map((index) => running.get(index)));
  });
  for (const index of share.held()) start(index);
  await Promise.all(running.values());
  return {
    async pending() {
      const subscriptions = await Promise.all(running.values());
      const counts = await Promise.all(subscriptions.map((s) => s.pending?.() ?? Promise.resolve(0)));
      return counts.reduce((sum, n) => sum + n, 0);
    },
    async stop() {
      unsubscribe();
      await Promise.all([...running.keys()].map(stop));
    },
  };
}

/** A service's reactor: its shared form when the process shares its work with other instances. */
export async function startWorkReactor(
  store: EventStore,
  reactor: ReactorOptions,
  share: WorkShare | undefined,
): Promise<Subscription> {
  return share === undefined
    ? await startReactor(store, reactor)
    : await startSharedReactor(store, reactor, share);
}

import type { Clock, ServiceName } from "@certplane/domain";
import type { EventStore } from "@certplane/event-store";
import { ChainedEventStore } from "@certplane/event-store";
import type { CommandBus } from "@certplane/messaging";
import { AggregateRunner } from "../aggregate-runner.ts";
import type { WorkShare } from "../work-share/partition-leases.ts";
import { OwnedEventStore } from "./owned-event-store.ts";
import { OwnerCommandSender } from "./owner-commands.ts";

/** What one service writes with: its own store handle, a runner on it, and its command sender. */
export interface ServiceHandles {
  readonly service: ServiceName;
  readonly store: OwnedEventStore;
  readonly runner: AggregateRunner;
  readonly commands: OwnerCommandSender;
  /** The actor of the service's automatic work (a timer, a reaction to another event). */
  readonly actor: string;
}

export function serviceHandles(options: {
  readonly service: ServiceName;
  readonly store: EventStore;
  readonly bus: CommandBus;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly instance?: string;
  /** Commands then go to the partition holder of the stream (owner-commands.ts). */
  readonly workShare?: WorkShare;
}): ServiceHandles {
  // The chain sits under the owned handle, so it hashes the producer the handle stamps; every
  // service (and the embedded plane, which builds its services the same way) appends through it.
  const store = new OwnedEventStore(new ChainedEventStore(options.store), options.service, options.instance);
  return {
    service: options.service,
    store,
    runner: new AggregateRunner({ store, clock: options.clock, newId: options.newId }),
    commands: new OwnerCommandSender({
      bus: options.bus,
      service: options.service,
      newId: options.newId,
      ...(options.workShare === undefined ? {} : { partitions: options.workShare.partitions }),
    }),
    actor: serviceActor(options.service),
  };
}

export function serviceActor(service: ServiceName): string {
  return `service:${service}`;
}

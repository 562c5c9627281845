import type { Clock, ServiceName } from "@certplane/domain";
import { services } from "@certplane/domain";
import type { EventStore } from "@certplane/event-store";
import type { CommandBus, Registration } from "@certplane/messaging";
import { InProcessBroker, InProcessCommandBus } from "@certplane/messaging";
import { serveOwnerCommands } from "../ownership/owner-commands.ts";
import { serviceHandles } from "../ownership/service-handles.ts";
import type { WorkShare } from "../work-share/partition-leases.ts";

/** An in-process bus for tests; a handler's unexpected failure is thrown where the test sees it. */
export function inProcessTestBus(): CommandBus {
  return new InProcessCommandBus(new InProcessBroker(), {
    onHandlerError: (error, subject) => {
      throw new Error(`owner command on ${subject} failed: ${String(error)}`);
    },
  });
}

export interface OwnerEndpoints {
  readonly bus: CommandBus;
  stop(): Promise<void>;
}

/**
 * For a test of one service: an in-process bus on which every other owner answers its commands
 * (deciders only, none of their reactors), so the service under test talks to owners as it does
 * in production without the rest of the plane running.
 */
export async function startOwnerEndpoints(options: {
  readonly store: EventStore;
  readonly clock: Clock;
  readonly newId: () => string;
  /** The services under test, which serve their own commands. */
  readonly except: readonly ServiceName[];
  /** The bus to serve on; a new in-process bus when absent. */
  readonly bus?: CommandBus;
  /** Partitions the owners hold, when the service under test shares its work and so sends its commands to partition holders. */
  readonly share?: WorkShare;
}): Promise<OwnerEndpoints> {
  const bus = options.bus ?? inProcessTestBus();
  const registrations: Registration[] = [];
  for (const service of services.filter((s) => !options.except.includes(s))) {
    const handles = serviceHandles({
      service,
      store: options.store,
      bus,
      clock: options.clock,
      newId: options.newId,
    });
    registrations.push(
      await serveOwnerCommands({
        bus,
        runner: handles.runner,
        service,
        ...(options.share === undefined ? {} : { share: options.share }),
      }),
    );
  }
  return {
    bus,
    async stop() {
      await Promise.all(registrations.map((r) => r.stop()));
      if (options.bus === undefined) await bus.close();
    },
  };
}

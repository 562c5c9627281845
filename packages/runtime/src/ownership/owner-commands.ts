// Commands from one service to the owner of a stream: the only way a service changes a stream it
// does not own. Request/reply over the command bus (NATS, or in-process when embedded), idempotent
// by command id: the owner names the events after the command, so a retry is stored once.
//
// When the owner's instances share its work (work-share/), a command goes to the instance holding
// the stream's partition, on `<subject>.p<index>`, so one aggregate's commands and events are
// worked by one instance at a time. The plain subject stays served by every instance (a queue
// group) for senders that do not partition.
import type { ServiceName } from "@certplane/domain";
import {
  categoryOwners,
  isCertplaneError,
  OwnershipError,
  ownerCommandRoute,
  ownerCommandRoutes,
  ownerCommandSubject,
  UnavailableError,
  ValidationError,
} from "@certplane/domain";
import type { StreamCategory } from "@certplane/domain/model";
import { parseStreamName } from "@certplane/domain/model";
import { partitionOf } from "@certplane/event-store";
import type { CommandBus, Registration } from "@certplane/messaging";
import type { AggregateRunner } from "../aggregate-runner.ts";
import type { CommandContext } from "../event-codec.ts";
import type { WorkShare } from "../work-share/partition-leases.ts";
import { type AnyDecider, ownerDeciders } from "./owner-deciders.ts";

/** A decider command as data: `type` names it, the rest is its payload. */
export interface OwnerCommand {
  readonly type: string;
}

export interface OwnerCommandMessage {
  readonly commandId: string;
  readonly sender: ServiceName;
  readonly stream: string;
  readonly command: OwnerCommand;
  readonly context: Omit<CommandContext, "command">;
}

export interface OwnerCommandReply {
  /** The types of the events the owner appended; empty when the command changed nothing. */
  readonly events: readonly string[];
}

/** How often a command is sent again, with the same id, while the owner is briefly unreachable. */
const RETRY_DELAYS_MS = [50, 200, 800] as const;

/** The subject of a command for the instance that holds `index`. */
export function partitionSubject(subject: string, index: number): string {
  return `${subject}.p${index}`;
}

export class OwnerCommandSender {
  readonly #bus: CommandBus;
  readonly #service: ServiceName;
  readonly #newId: () => string;
  readonly #partitions: number | undefined;

  constructor(options: { bus: CommandBus; service: ServiceName; newId: () => string; partitions?: number }) {
    this.#bus = options.bus;
    this.#service = options.service;
    this.#newId = options.newId;
    this.#partitions = options.partitions;
  }

  async send(stream: string, command: OwnerCommand, context: CommandContext): Promise<OwnerCommandReply> {
    const { category } = parseStreamName(stream);
    const route = ownerCommandRoute(category, command.type);
    if (!route?.senders.includes(this.#service)) {
      throw new OwnershipError(
        `${this.#service} may not send ${command.type} for ${stream}: the owner table lists no such command (see ARCHITECTURE.md)`,
      );
    }
    const { command: _carried, ...plain } = context;
    const message: OwnerCommandMessage = {
      commandId: this.#newId(),
      sender: this.#service,
      stream,
      command,
      context: plain,
    };
    const base = ownerCommandSubject(category, command.type);
    const subject =
      this.#partitions === undefined ? base : partitionSubject(base, partitionOf(stream, this.#partitions));
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#bus.request<OwnerCommandMessage, OwnerCommandReply>(subject, message);
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined || !isCertplaneError(error) || !error.retryable) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}

export interface OwnerCommandServerOptions {
  readonly bus: CommandBus;
  readonly runner: AggregateRunner;
  readonly service: ServiceName;
  /**
   * Gather-then-decide for one command type: fills in what only the owner knows (the scheduler's
   * renewal time for RecordIssued) from the object's current state before its decider runs.
   */
  readonly prepare?: Readonly<Record<string, (command: OwnerCommand, state: unknown) => OwnerCommand>>;
  /** Set when instances share the work: each also answers the partitions it holds, as they move. */
  readonly share?: WorkShare;
}

function checkMessage(message: OwnerCommandMessage, category: StreamCategory, type: string): void {
  if (parseStreamName(message.stream).category !== category || message.command?.type !== type) {
    throw ValidationError.of(
      "stream",
      "ownerCommand",
      `${type} for ${message.stream} came on the wrong subject`,
    );
  }
  if (!ownerCommandRoute(category, type)?.senders.includes(message.sender)) {
    throw new OwnershipError(`${message.sender} may not send ${type} for ${message.stream}`);
  }
}

/**
 * Answers every owner command the table routes to `service`: on the plain subject, shared by the
 * instances (queue group), and with a WorkShare on each held partition's subject, alone.
 */
export async function serveOwnerCommands(options: OwnerCommandServerOptions): Promise<Registration> {
  const routes = ownerCommandRoutes.filter((route) => categoryOwners[route.category] === options.service);
  const handlers = routes.map(({ category, command: type }) => {
    const decider = ownerDeciders[category] as AnyDecider;
    const prepare = options.prepare?.[type];
    const handle = async (payload: OwnerCommandMessage): Promise<OwnerCommandReply> => {
      checkMessage(payload, category, type);
      const { events } = await options.runner.execute(
        payload.stream,
        decider,
        (state: unknown) => (prepare ? prepare(payload.command, state) : payload.command),
        { ...payload.context, command: { id: payload.commandId, type, sender: payload.sender } },
      );
      return { events: events.map((event) => event.type) };
    };
    return { subject: ownerCommandSubject(category, type), handle };
  });
  const registrations: Registration[] = [];
  for (const { subject, handle } of handlers) {
    registrations.push(
      await options.bus.handle<OwnerCommandMessage, OwnerCommandReply>(
        subject,
        ({ payload }) => handle(payload),
        {
          queue: options.service,
        },
      ),
    );
  }
  const partitioned =
    options.share === undefined ? undefined : await servePartitions(options.bus, options.share, handlers);
  return {
    stop: async () => {
      await partitioned?.stop();
      await Promise.all(registrations.map((r) => r.stop()));
    },
  };
}

type PartitionedHandler = {
  readonly subject: string;
  readonly handle: (payload: OwnerCommandMessage) => Promise<OwnerCommandReply>;
};

/** One registration per held partition and command, made and dropped as the partitions move. */
async function servePartitions(
  bus: CommandBus,
  share: WorkShare,
  handlers: readonly PartitionedHandler[],
): Promise<Registration> {
  const byPartition = new Map<number, Registration[]>();
  const serve = async (index: number) => {
    const registrations: Registration[] = [];
    for (const { subject, handle } of handlers) {
      registrations.push(
        await bus.handle<OwnerCommandMessage, OwnerCommandReply>(
          partitionSubject(subject, index),
          async ({ payload }) => {
            // Moved away meanwhile: the sender retries and reaches the new holder.
            if (!share.holds(index))
              throw new UnavailableError(`partition ${index} moved to another instance; try again`);
            if (partitionOf(payload.stream, share.partitions) !== index) {
              throw ValidationError.of(
                "stream",
                "partition",
                `${payload.stream} does not belong to partition ${index}`,
              );
            }
            return await handle(payload);
          },
        ),
      );
    }
    byPartition.set(index, registrations);
  };
  const drop = async (index: number) => {
    const registrations = byPartition.get(index) ?? [];
    byPartition.delete(index);
    await Promise.all(registrations.map((r) => r.stop()));
  };
  const unsubscribe = share.onChange(async ({ gained, lost }) => {
    await Promise.all(lost.map(drop));
    await Promise.all(gained.map(serve));
  });
  await Promise.all(share.held().map(serve));
  return {
    async stop() {
      unsubscribe();
      await Promise.all([...byPartition.keys()].map(drop));
    },
  };
}

// Commands from one service to the owner of a stream: the only way a service changes a stream it
// does not own. Request/reply over the command bus (NATS, or in-process when embedded), idempotent
// by command id: the owner names the events after the command, so a retry is stored once.
import type { ServiceName } from "@certplane/domain";
import {
  categoryOwners,
  isCertplaneError,
  OwnershipError,
  ownerCommandRoute,
  ownerCommandRoutes,
  ownerCommandSubject,
  ValidationError,
} from "@certplane/domain";
import type { StreamCategory } from "@certplane/domain/model";
import { parseStreamName } from "@certplane/domain/model";
import type { CommandBus, Registration } from "@certplane/messaging";
import type { AggregateRunner } from "../aggregate-runner.ts";
import type { CommandContext } from "../event-codec.ts";
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

export class OwnerCommandSender {
  readonly #bus: CommandBus;
  readonly #service: ServiceName;
  readonly #newId: () => string;

  constructor(options: { bus: CommandBus; service: ServiceName; newId: () => string }) {
    this.#bus = options.bus;
    this.#service = options.service;
    this.#newId = options.newId;
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
    const subject = ownerCommandSubject(category, command.type);
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

/** Answers every owner command the table routes to `service`; instances share them (queue group). */
export async function serveOwnerCommands(options: OwnerCommandServerOptions): Promise<Registration> {
  const routes = ownerCommandRoutes.filter((route) => categoryOwners[route.category] === options.service);
  const registrations: Registration[] = [];
  for (const { category, command: type } of routes) {
    const decider = ownerDeciders[category] as AnyDecider;
    const prepare = options.prepare?.[type];
    registrations.push(
      await options.bus.handle<OwnerCommandMessage, OwnerCommandReply>(
        ownerCommandSubject(category, type),
        async ({ payload }) => {
          checkMessage(payload, category, type);
          const { events } = await options.runner.execute(
            payload.stream,
            decider,
            (state: unknown) => (prepare ? prepare(payload.command, state) : payload.command),
            { ...payload.context, command: { id: payload.commandId, type, sender: payload.sender } },
          );
          return { events: events.map((event) => event.type) };
        },
        { queue: options.service },
      ),
    );
  }
  return { stop: async () => void (await Promise.all(registrations.map((r) => r.stop()))) };
}

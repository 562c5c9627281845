import type {
  Clock,
  Decider,
  DomainEvent,
  RecordedEvent,
  StreamVersion,
  UpcasterChain,
} from "@certplane/domain";
import { ConcurrencyError, fold } from "@certplane/domain";
import { objectStreamsOf } from "@certplane/domain/model";
import type { EventStore } from "@certplane/event-store";
import { comparePositions } from "@certplane/event-store";
import type { CommandContext } from "./event-codec.ts";
import { commandEventIds, toDomainEvent, toNewEvents } from "./event-codec.ts";

export interface LoadedAggregate<TState> {
  readonly state: TState;
  readonly version: StreamVersion | undefined;
}

export interface ExecuteResult<TEvent, TState> {
  readonly events: readonly TEvent[];
  readonly state: TState;
}

/**
 * Runs deciders against the store: read → fold → decide → append with the expected version.
 * A ConcurrencyError means someone else wrote first: read again and decide again, a bounded
 * number of times, so the command sees the newest state it can. An object folded from two owners'
 * streams (see objectStreamsOf) is read whole, in store order, while the append and its expected
 * version concern only the stream the caller owns.
 */
export class AggregateRunner {
  readonly #store: EventStore;
  readonly #clock: Clock;
  readonly #newId: () => string;
  readonly #upcasters: UpcasterChain | undefined;
  readonly #maxAttempts: number;

  constructor(options: {
    store: EventStore;
    clock: Clock;
    newId: () => string;
    upcasters?: UpcasterChain;
    maxAttempts?: number;
  }) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#newId = options.newId;
    this.#upcasters = options.upcasters;
    this.#maxAttempts = options.maxAttempts ?? 8;
  }

  get clock(): Clock {
    return this.#clock;
  }

  async load<TEvent extends DomainEvent, TState>(
    stream: string,
    decider: Pick<Decider<unknown, TEvent, TState>, "initialState" | "evolve">,
  ): Promise<LoadedAggregate<TState>> {
    const names = objectStreamsOf(stream);
    const reads = await Promise.all(names.map((name) => this.#store.read(name)));
    const version = reads[names.indexOf(stream)]?.version;
    const recorded: RecordedEvent[] =
      reads.length === 1
        ? [...reads[0]!.events]
        : reads.flatMap((read) => read.events).sort((a, b) => comparePositions(a.position, b.position));
    const events = recorded.map((e) => toDomainEvent<TEvent>(e, this.#upcasters));
    return { state: fold(decider, events), version };
  }

  /**
   * `command` may be a function of the current state, so that callers can build the command from
   * what they see (or return undefined to do nothing) and still get the retry on conflict.
   */
  async execute<TCommand, TEvent extends DomainEvent, TState>(
    stream: string,
    decider: Decider<TCommand, TEvent, TState>,
    command: TCommand | ((state: TState, now: Date) => TCommand | undefined),
    context: CommandContext,
  ): Promise<ExecuteResult<TEvent, TState>> {
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.load(stream, decider);
      const now = this.#clock.now();
      const resolved =
        typeof command === "function"
          ? (command as (s: TState, n: Date) => TCommand | undefined)(state, now)
          : command;
      if (resolved === undefined) return { events: [], state };
      const events = decider.decide(resolved, state);
      if (events.length === 0) return { events, state };
      try {
        // A command that carries its own id names its events after it, so a retried command (its
        // reply lost) is stored once: the store reports the same first event id as a duplicate.
        const newId = context.command ? commandEventIds(context.command.id) : this.#newId;
        await this.#store.append(
          stream,
          toNewEvents(events, context, now, newId),
          version === undefined ? "no_stream" : version,
        );
      } catch (error) {
        if (error instanceof ConcurrencyError && attempt < this.#maxAttempts) continue;
        throw error;
      }
      return { events, state: events.reduce(decider.evolve, state) };
    }
  }
}

import type { Clock, Decider, DomainEvent, StreamVersion, UpcasterChain } from "@certplane/domain";
import { ConcurrencyError, fold } from "@certplane/domain";
import type { EventStore } from "@certplane/event-store";
import type { CommandContext } from "./event-codec.ts";
import { toDomainEvent, toNewEvents } from "./event-codec.ts";

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
 * number of times, so the command sees the newest state it can.
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
    const read = await this.#store.read(stream);
    const events = read.events.map((e) => toDomainEvent<TEvent>(e, this.#upcasters));
    return { state: fold(decider, events), version: read.version };
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
        await this.#store.append(
          stream,
          toNewEvents(events, context, now, this.#newId),
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

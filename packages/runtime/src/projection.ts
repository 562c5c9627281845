import type { DomainEvent, RecordedEvent } from "@certplane/domain";
import { primaryStreamOf } from "@certplane/domain/model";
import type { EventStore, Subscription } from "@certplane/event-store";
import { subscribeCaughtUp } from "@certplane/event-store";
import { toDomainEvent } from "./event-codec.ts";

export interface ProjectionDefinition<TState> {
  readonly categories: readonly string[];
  initialState(stream: string): TState;
  evolve(state: TState, event: DomainEvent, recorded: RecordedEvent): TState;
}

/**
 * An in-memory read model: the fold of every stream of some categories, kept current by a
 * subscription from the start. Rebuilt on every start (the events are the truth). Companion
 * streams fold into their object's entry, keyed by the primary stream (see primaryStreamOf).
 */
export class Projection<TState> {
  readonly #definition: ProjectionDefinition<TState>;
  readonly #states = new Map<string, TState>();
  readonly #listeners = new Set<(stream: string, state: TState, event: RecordedEvent) => void>();
  #subscription: Subscription | undefined;
  #lastPosition: string | undefined;

  constructor(definition: ProjectionDefinition<TState>) {
    this.#definition = definition;
  }

  /** The stream categories this projection folds. */
  get categories(): readonly string[] {
    return this.#definition.categories;
  }

  /** Resolves once everything stored at start time has been folded in. */
  async start(store: EventStore): Promise<void> {
    this.#subscription = await subscribeCaughtUp(store, {
      from: "start",
      categories: this.#definition.categories,
      handler: async (event) => this.apply(event),
    });
  }

  apply(event: RecordedEvent): void {
    const key = primaryStreamOf(event.stream);
    const current = this.#states.get(key) ?? this.#definition.initialState(key);
    const next = this.#definition.evolve(current, toDomainEvent(event), event);
    this.#states.set(key, next);
    this.#lastPosition = event.position;
    for (const listener of this.#listeners) listener(key, next, event);
  }

  get(stream: string): TState | undefined {
    return this.#states.get(stream);
  }

  entries(): IterableIterator<[string, TState]> {
    return this.#states.entries();
  }

  get lastPosition(): string | undefined {
    return this.#lastPosition;
  }

  /** Every entry as it is now, for a snapshot; states are plain JSON folds. */
  snapshotEntries(): [string, TState][] {
    return [...this.#states.entries()];
  }

  /** Starts from a snapshot's entries instead of nothing; the caller then folds what came after it. */
  restore(entries: readonly (readonly [string, TState])[]): void {
    this.#states.clear();
    for (const [stream, state] of entries) this.#states.set(stream, state);
  }

  onChange(listener: (stream: string, state: TState, event: RecordedEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async stop(): Promise<void> {
    await this.#subscription?.stop();
  }
}

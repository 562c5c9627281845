import type { DomainEvent } from "./events.ts";

/**
 * Emmett's decider: `decide` turns a command and the current state into events (business
 * denials are events too), `evolve` folds an event into state. Both are pure: time and ids
 * arrive inside the command.
 */
export interface Decider<TCommand, TEvent extends DomainEvent, TState> {
  initialState(): TState;
  decide(command: TCommand, state: TState): readonly TEvent[];
  evolve(state: TState, event: TEvent): TState;
}

export function fold<TEvent extends DomainEvent, TState>(
  decider: Pick<Decider<unknown, TEvent, TState>, "initialState" | "evolve">,
  events: Iterable<TEvent>,
): TState {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}

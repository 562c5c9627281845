// Decider tests read as specifications: given these past events, when this command arrives,
// then exactly these events follow (or the decider refuses by throwing).
import assert from "node:assert/strict";
import { type Decider, type DomainEvent, fold } from "@certplane/domain";

export interface DeciderThen<TEvent extends DomainEvent> {
  /** Asserts the decided events deep-equal `expected`, in order; returns them for further checks. */
  then(expected: readonly TEvent[]): readonly TEvent[];
  /** Asserts `decide` throws; `expected` is anything node:assert.throws accepts (class, RegExp, object, predicate). */
  thenThrows(expected?: Parameters<typeof assert.throws>[1]): void;
}

export interface DeciderWhen<TCommand, TEvent extends DomainEvent> {
  when(command: TCommand): DeciderThen<TEvent>;
}

export function given<TCommand, TEvent extends DomainEvent, TState>(
  decider: Decider<TCommand, TEvent, TState>,
  pastEvents: readonly TEvent[] = [],
): DeciderWhen<TCommand, TEvent> {
  return {
    when(command) {
      const decide = () => decider.decide(command, fold(decider, pastEvents));
      return {
        // biome-ignore lint/suspicious/noThenProperty: the given/when/then vocabulary; this object is never awaited.
        then(expected) {
          const actual = decide();
          assert.deepStrictEqual(actual, expected);
          return actual;
        },
        thenThrows(expected) {
          if (expected === undefined) assert.throws(decide);
          else assert.throws(decide, expected);
        },
      };
    },
  };
}

import type { ApplyOutcome } from "@certplane/api";
import type { Decider, DomainEvent } from "@certplane/domain";
import type { AggregateRunner, CommandContext } from "@certplane/runtime";
import { type OwnerWrites, writeFor } from "../owner-writes.ts";

/** One object of an apply: what it would do (dry run, pre-flight) and doing it. */
export interface ApplyStep {
  preview(runner: AggregateRunner): Promise<ApplyOutcome>;
  apply(writes: OwnerWrites, context: CommandContext): Promise<ApplyOutcome>;
}

export interface StreamApply<TCommand extends { readonly type: string }, TEvent extends DomainEvent, TState> {
  readonly stream: string;
  readonly decider: Decider<TCommand, TEvent, TState>;
  /** Undefined when there is nothing to do (the decider is not even asked). */
  readonly command: (state: TState, now: Date) => TCommand | undefined;
  /** Whether the object existed before, which tells `configured` from `created`. */
  readonly exists: (state: TState) => boolean;
}

function outcomeOf(eventCount: number, existed: boolean): ApplyOutcome {
  if (eventCount === 0) return "unchanged";
  return existed ? "configured" : "created";
}

export function streamApplyStep<
  TCommand extends { readonly type: string },
  TEvent extends DomainEvent,
  TState,
>(spec: StreamApply<TCommand, TEvent, TState>): ApplyStep {
  return {
    async preview(runner) {
      const { state } = await runner.load(spec.stream, spec.decider);
      const command = spec.command(state, runner.clock.now());
      const events = command === undefined ? [] : spec.decider.decide(command, state);
      return outcomeOf(events.length, spec.exists(state));
    },
    async apply(writes, context) {
      const { events, before } = await writeFor(writes, spec.stream, spec.decider, spec.command, context);
      return outcomeOf(events.length, spec.exists(before));
    },
  };
}

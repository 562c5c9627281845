import type { Decider, DomainEvent } from "@certplane/domain";
import { categoriesOwnedBy } from "@certplane/domain";
import { parseStreamName } from "@certplane/domain/model";
import type { AggregateRunner, CommandContext, OwnerCommandSender } from "@certplane/runtime";

export interface OwnerWrites {
  readonly runner: AggregateRunner;
  readonly commands: OwnerCommandSender;
}

export interface WriteResult<TState> {
  /** Types of the events appended; empty when nothing changed. */
  readonly events: readonly string[];
  /** The state the decision was made on. */
  readonly before: TState;
}

const ownCategories: ReadonlySet<string> = new Set(categoriesOwnedBy("intake"));

/**
 * One user write, wherever its stream lives: intake's own streams (Certificate and issuer specs)
 * are decided and appended here; any other stream is asked of its owner as a command, built from
 * the state intake reads now, and decided again by the owner against its own newest state.
 */
export async function writeFor<
  TCommand extends { readonly type: string },
  TEvent extends DomainEvent,
  TState,
>(
  writes: OwnerWrites,
  stream: string,
  decider: Decider<TCommand, TEvent, TState>,
  command: (state: TState, now: Date) => TCommand | undefined,
  context: CommandContext,
): Promise<WriteResult<TState>> {
  if (ownCategories.has(parseStreamName(stream).category)) {
    let before!: TState;
    const { events } = await writes.runner.execute(
      stream,
      decider,
      (state, now) => {
        before = state;
        return command(state, now);
      },
      context,
    );
    return { events: events.map((event) => event.type), before };
  }
  const { state } = await writes.runner.load(stream, decider);
  const resolved = command(state, writes.runner.clock.now());
  if (resolved === undefined) return { events: [], before: state };
  const { events } = await writes.commands.send(stream, resolved, context);
  return { events, before: state };
}

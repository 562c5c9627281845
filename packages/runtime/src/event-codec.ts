import type { DomainEvent, EventMetadata, NewEvent, RecordedEvent, UpcasterChain } from "@certplane/domain";

/** Current schema version of every event type we write; bump it together with an upcaster. */
export const currentSchemaVersion = 1;

export interface CommandContext {
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: string;
  readonly traceparent?: string;
}

export function toNewEvents(
  events: readonly DomainEvent[],
  context: CommandContext,
  occurredAt: Date,
  newId: () => string,
): NewEvent[] {
  const metadata: EventMetadata = {
    correlationId: context.correlationId,
    causationId: context.causationId,
    actor: context.actor,
    ...(context.traceparent ? { traceparent: context.traceparent } : {}),
    occurredAt: occurredAt.toISOString(),
  };
  return events.map((event) => ({
    id: newId(),
    type: event.type,
    schemaVersion: currentSchemaVersion,
    data: event.data,
    metadata,
  }));
}

/** The context for work caused by a recorded event: same correlation, caused by that event. */
export function contextFromEvent(event: RecordedEvent, actor: string): CommandContext {
  return {
    correlationId: event.metadata.correlationId,
    causationId: event.id,
    actor,
    ...(event.metadata.traceparent ? { traceparent: event.metadata.traceparent } : {}),
  };
}

export function toDomainEvent<TEvent extends DomainEvent>(
  event: RecordedEvent,
  upcasters?: UpcasterChain,
): TEvent {
  const current = upcasters ? upcasters.upcast(event) : event;
  return { type: current.type, data: current.data } as TEvent;
}

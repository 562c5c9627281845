import { createHash } from "node:crypto";
import type { DomainEvent, EventMetadata, NewEvent, RecordedEvent, UpcasterChain } from "@certplane/domain";

/** Current schema version of every event type we write; bump it together with an upcaster. */
export const currentSchemaVersion = 1;

export interface CommandContext {
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: string;
  readonly traceparent?: string;
  /** Set when another service's owner command carried this change. */
  readonly command?: EventMetadata["command"];
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
    ...(context.command ? { command: context.command } : {}),
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

/**
 * Event ids derived from a command id (UUID version 8, RFC 9562 §5.8: a name-based layout of our
 * own), so the same command always yields the same ids.
 */
export function commandEventIds(commandId: string): () => string {
  let index = 0;
  return () => {
    const hex = createHash("sha256").update(`${commandId}:${index++}`).digest("hex");
    const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
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

import { createHash } from "node:crypto";
import type { DomainEvent, EventMetadata, NewEvent, RecordedEvent, UpcasterChain } from "@certplane/domain";
import {
  childTraceparent,
  isValidTraceparent,
  newTraceparent,
  recordingTraceparent,
} from "@certplane/telemetry";

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

/**
 * The context for work caused by a recorded event: same correlation, caused by that event, and a
 * child span of the event's trace, so one user action is one trace across every service.
 */
export function contextFromEvent(
  event: Pick<RecordedEvent, "id" | "metadata">,
  actor: string,
): CommandContext {
  const parent = event.metadata.traceparent;
  return {
    correlationId: event.metadata.correlationId,
    causationId: event.id,
    actor,
    // The span doing the work when tracing records one, so the events it writes point at it.
    traceparent:
      recordingTraceparent() ??
      (parent && isValidTraceparent(parent) ? childTraceparent(parent) : newTraceparent()),
  };
}

/**
 * The context for work nothing recorded caused (an API call, a timer): its own correlation and
 * cause, and the caller's trace when it sent a valid one, otherwise a new trace.
 */
export function startedContext(options: {
  readonly id: string;
  readonly actor: string;
  readonly traceparent?: string | undefined;
}): CommandContext {
  const { id, actor, traceparent } = options;
  return {
    correlationId: id,
    causationId: id,
    actor,
    traceparent:
      recordingTraceparent() ??
      (traceparent && isValidTraceparent(traceparent) ? childTraceparent(traceparent) : newTraceparent()),
  };
}

export function toDomainEvent<TEvent extends DomainEvent>(
  event: RecordedEvent,
  upcasters?: UpcasterChain,
): TEvent {
  const current = upcasters ? upcasters.upcast(event) : event;
  return { type: current.type, data: current.data } as TEvent;
}

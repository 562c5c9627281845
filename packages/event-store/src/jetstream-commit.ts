import type { NewEvent, RecordedEvent } from "@certplane/domain";
import { ValidationError } from "@certplane/domain";
import type { StreamName } from "./stream-name.ts";

// One JetStream message carries one commit (a JSON array of events): 2.9 has no atomic batch, and
// a message is the unit JetStream stores, deduplicates (Nats-Msg-Id) and version-checks.

/** A position inside the stream: the commit message's sequence and the event's index in it. */
export interface JetStreamPosition {
  readonly seq: number;
  readonly index: number;
}

export function formatPosition(position: JetStreamPosition): string {
  return `${position.seq}:${position.index}`;
}

export function parsePosition(position: string, field = "from"): JetStreamPosition {
  const match = /^(\d{1,15}):(\d{1,6})$/.exec(position);
  if (match === null) {
    throw ValidationError.of(
      field,
      "position",
      `checkpoint "${position}" is not a JetStream event-store position`,
    );
  }
  return { seq: Number(match[1]), index: Number(match[2]) };
}

export function subjectOf(prefix: string, name: StreamName): string {
  return `${prefix}.${name.category}.${name.id}`;
}

function streamOfSubject(prefix: string, subject: string): string {
  const rest = subject.slice(prefix.length + 1);
  const dot = rest.indexOf(".");
  return `${rest.slice(0, dot)}-${rest.slice(dot + 1)}`;
}

export function encodeCommit(events: readonly NewEvent[]): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify(
      events.map(({ id, type, schemaVersion, data, metadata }) => ({
        id,
        type,
        schemaVersion,
        data,
        metadata,
      })),
    ),
  );
}

/** The stored fields of one commit message, from a consumer or a direct get alike. */
export interface CommitMessage {
  readonly subject: string;
  readonly seq: number;
  readonly data: Uint8Array;
  readonly time: Date;
}

export function decodeCommit(prefix: string, message: CommitMessage): RecordedEvent[] {
  const events = JSON.parse(new TextDecoder().decode(message.data)) as NewEvent[];
  const stream = streamOfSubject(prefix, message.subject);
  const version = BigInt(message.seq);
  const recordedAt = message.time.toISOString();
  return events.map((event, index) => ({
    ...event,
    stream,
    version,
    position: formatPosition({ seq: message.seq, index }),
    recordedAt,
  }));
}

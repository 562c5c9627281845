import type { ExpectedVersion, NewEvent } from "@certplane/domain";
import { ValidationError } from "@certplane/domain";
import { parseStreamName, type StreamName } from "./stream-name.ts";

/** Checks an append's arguments before any adapter touches storage; returns the parsed stream name. */
export function validateAppend(
  stream: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
): StreamName {
  const name = parseStreamName(stream);
  if (!Array.isArray(events) || events.length === 0) {
    throw ValidationError.of("events", "nonEmpty", `an append to ${stream} needs at least one event`);
  }
  const seen = new Set<string>();
  events.forEach((event, index) => {
    if (typeof event.id !== "string" || event.id.length === 0) {
      throw ValidationError.of(`events[${index}].id`, "required", "every event needs a non-empty id");
    }
    if (seen.has(event.id)) {
      throw ValidationError.of(
        `events[${index}].id`,
        "unique",
        `event id ${event.id} appears twice in one commit`,
      );
    }
    seen.add(event.id);
    if (typeof event.type !== "string" || event.type.length === 0) {
      throw ValidationError.of(`events[${index}].type`, "required", "every event needs a type");
    }
    if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1) {
      throw ValidationError.of(
        `events[${index}].schemaVersion`,
        "positiveInteger",
        "schemaVersion must be >= 1",
      );
    }
  });
  if (expected !== "any" && expected !== "no_stream" && (typeof expected !== "bigint" || expected < 0n)) {
    throw ValidationError.of("expected", "version", 'expected must be "any", "no_stream" or a version >= 0');
  }
  return name;
}

import {
  CertplaneError,
  ConcurrencyError,
  PayloadTooLargeError,
  TimeoutError,
  UnavailableError,
} from "@certplane/domain";
import {
  CancelledError,
  DeadlineExceededError,
  TimeoutError as EsdbTimeoutError,
  UnavailableError as EsdbUnavailableError,
  type EventData,
  MaxAppendSizeExceededError,
  NotLeaderError,
  WrongExpectedVersionError,
} from "@eventstore/db-client";

/** Translates an @eventstore/db-client error into the domain's typed errors, so no driver error escapes. */
export function translateEsdbError(error: unknown, action: string, stream?: string): CertplaneError {
  if (error instanceof CertplaneError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof WrongExpectedVersionError) {
    return new ConcurrencyError(
      stream ?? error.streamName,
      `expected ${String(error.expectedVersion)}, found ${String(error.actualVersion)}`,
      { cause: error },
    );
  }
  if (error instanceof MaxAppendSizeExceededError) {
    return new PayloadTooLargeError(`${action}: ${message}`, { cause: error, field: "events" });
  }
  if (error instanceof EsdbTimeoutError || error instanceof DeadlineExceededError) {
    return new TimeoutError(`${action}: EventStoreDB did not answer in time`, { cause: error });
  }
  if (
    error instanceof EsdbUnavailableError ||
    error instanceof NotLeaderError ||
    error instanceof CancelledError
  ) {
    return new UnavailableError(`${action}: EventStoreDB is not available (${message})`, { cause: error });
  }
  return new CertplaneError("INTERNAL", `${action}: ${message}`, { cause: error });
}

function serializedBytes(value: unknown): number {
  if (value === undefined) return 0;
  return value instanceof Uint8Array ? value.byteLength : Buffer.byteLength(JSON.stringify(value));
}

/** Event.SizeOnDisk summed over a commit, as the server holds it against its MaxAppendSize. */
function commitBytes(events: readonly EventData[]): number {
  return events.reduce(
    (sum, event) =>
      sum + serializedBytes(event.data) + serializedBytes(event.metadata) + event.type.length * 2,
    0,
  );
}

/**
 * translateEsdbError for an append of `events` to `stream`. The server refuses an oversized commit
 * with its limit only, so the size it counted is worked out here to name both.
 */
export function translateAppendError(
  error: unknown,
  stream: string,
  events: readonly EventData[],
): CertplaneError {
  if (!(error instanceof MaxAppendSizeExceededError)) {
    return translateEsdbError(error, `appending to ${stream}`, stream);
  }
  return new PayloadTooLargeError(
    `commit to ${stream} is ${commitBytes(events)} bytes, over EventStoreDB's maximum append size of ` +
      `${error.maxAppendSize} bytes`,
    { cause: error, field: "events" },
  );
}

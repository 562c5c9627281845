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

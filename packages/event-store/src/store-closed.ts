import { CertplaneError } from "@certplane/domain";

/** Using a store after close() is a programming error, so not retryable. */
export function storeClosedError(adapter: string): CertplaneError {
  return new CertplaneError("UNAVAILABLE", `the ${adapter} event store is closed`);
}

import { setTimeout as sleep } from "node:timers/promises";
import { CertplaneError, TimeoutError, TransientError, UnavailableError } from "@certplane/domain";
import { permissionDenied } from "@certplane/messaging";
import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import { errors as natsErrors } from "@nats-io/nats-core";

/** err_code of "wrong last sequence": the subject moved past the expected version. */
export const WRONG_LAST_SEQUENCE = JetStreamApiCodes.StreamWrongLastSequence;

/** Translates a nats.js error into the domain's typed errors, so no driver error escapes. */
export function translateNatsError(error: unknown, action: string): CertplaneError {
  if (error instanceof CertplaneError) return error;
  const denied = permissionDenied(error, action);
  if (denied) return denied;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof natsErrors.TimeoutError) {
    // What a user most often meets here is a stream without a leader: say so, and that it passes.
    return new TimeoutError(
      `${action}: NATS did not answer in time; if the events stream has no leader (fewer than a quorum of ` +
        "its nodes up), this passes once they are back: retry",
      { cause: error },
    );
  }
  if (
    error instanceof natsErrors.NoRespondersError ||
    (error instanceof natsErrors.RequestError && error.isNoResponders()) ||
    (error instanceof Error && error.name === "JetStreamNotEnabled")
  ) {
    // During a JetStream leader election nobody answers the API subjects for a few seconds.
    return new UnavailableError(`${action}: JetStream is not answering (${message})`, { cause: error });
  }
  if (
    error instanceof natsErrors.ClosedConnectionError ||
    error instanceof natsErrors.DrainingConnectionError ||
    error instanceof natsErrors.ConnectionError
  ) {
    return new UnavailableError(`${action}: the NATS connection is not usable (${message})`, {
      cause: error,
    });
  }
  if (error instanceof JetStreamApiError) {
    // 503 is what a stream without a leader (no quorum of its nodes) answers on a cluster.
    return error.status === 503 || error.status === 408
      ? new TransientError(
          `${action}: ${message} (err_code ${error.code}); if fewer than a quorum of the events stream's ` +
            "nodes are up, this passes once they are back: retry",
          { cause: error },
        )
      : new CertplaneError("INTERNAL", `${action}: ${message} (err_code ${error.code})`, { cause: error });
  }
  return new CertplaneError("INTERNAL", `${action}: ${message}`, { cause: error });
}

/**
 * Runs a read-side JetStream call, retrying a bounded number of times on retryable failures (a
 * meta-leader election makes consumer creation time out for a few seconds). Writes are not retried.
 */
export async function withNatsRetries<T>(
  action: string,
  call: () => Promise<T>,
  options: { attempts?: number; delayMs?: number } = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const translated = translateNatsError(error, action);
      if (!translated.retryable || attempt >= attempts) throw translated;
      await sleep((options.delayMs ?? 250) * attempt);
    }
  }
}

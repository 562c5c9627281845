// What nats.js throws at a NATS KV target, turned into certplane's errors in one place. Only what
// waiting can fix is retryable: an unreachable server, a timeout, JetStream not answering during an
// election. Refused credentials and missing permissions need a person, so they are not.
import {
  CertplaneError,
  ConcurrencyError,
  ForbiddenError,
  TimeoutError,
  TransientError,
} from "@certplane/domain";
import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import type { PermissionViolationError } from "@nats-io/nats-core";
import { errors as natsErrors } from "@nats-io/nats-core";

/** The call that failed, for messages that say what and where. */
export interface NatsKvCall {
  /** The SecretTarget's name. */
  readonly target: string;
  readonly servers: readonly string[];
  readonly bucket: string;
  /** Where the credentials come from, for the fix: `Secret cert-manager/edge-nats`. */
  readonly credentials: string;
  /** What was being done: `write apps.web-tls`. */
  readonly action: string;
}

/** err_code of "wrong last sequence": the key moved past the revision certplane expected. */
export const WRONG_LAST_SEQUENCE = JetStreamApiCodes.StreamWrongLastSequence;
/** err_code of "stream not found": the bucket does not exist (yet). */
export const STREAM_NOT_FOUND = JetStreamApiCodes.StreamNotFound;

function permissionViolation(error: unknown): PermissionViolationError | undefined {
  if (error instanceof natsErrors.PermissionViolationError) return error;
  // A request (every KV and JetStream API call is one) reports it as a RequestError's cause.
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause instanceof natsErrors.PermissionViolationError ? cause : undefined;
}

/** What a user must be allowed for the target to work, in nats-server `permissions` terms. */
export function natsKvPermissions(bucket: string): string {
  return (
    `publish to "$KV.${bucket}.>", "$JS.API.STREAM.INFO.KV_${bucket}", "$JS.API.DIRECT.GET.KV_${bucket}.>" ` +
    `("$JS.API.STREAM.MSG.GET.KV_${bucket}" instead for a bucket without allow_direct) and ` +
    `"$JS.API.STREAM.CREATE.KV_${bucket}" (only if certplane is to create the bucket); subscribe to "_INBOX.>"`
  );
}

export function translateNatsKvError(error: unknown, call: NatsKvCall): CertplaneError {
  if (error instanceof CertplaneError) return error;
  const where = `SecretTarget ${call.target} (NATS ${call.servers.join(", ")}, bucket ${call.bucket})`;
  const detail = error instanceof Error ? error.message : String(error);
  if (
    error instanceof natsErrors.AuthorizationError ||
    error instanceof natsErrors.UserAuthenticationExpiredError
  ) {
    return new ForbiddenError(
      `${where}: NATS did not accept the credentials (${detail}) on ${call.action}; ` +
        `fix the credentials in ${call.credentials} (keys creds, token, or user and password)`,
      { cause: error },
    );
  }
  const violation = permissionViolation(error);
  if (violation !== undefined) {
    const missing = `${violation.operation === "subscription" ? "subscribe to" : "publish to"} "${violation.subject}"`;
    return new ForbiddenError(
      `${where}: the NATS user may not ${missing} (${call.action}); grant it ${natsKvPermissions(call.bucket)}`,
      { cause: error },
    );
  }
  if (error instanceof natsErrors.TimeoutError) {
    return new TimeoutError(`${where}: NATS did not answer ${call.action} in time`, { cause: error });
  }
  if (
    error instanceof natsErrors.ConnectionError ||
    error instanceof natsErrors.ClosedConnectionError ||
    error instanceof natsErrors.DrainingConnectionError
  ) {
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    return new TransientError(
      `${where} is unreachable (${typeof code === "string" ? code : detail}) on ${call.action}`,
      { cause: error },
    );
  }
  if (
    error instanceof natsErrors.NoRespondersError ||
    (error instanceof natsErrors.RequestError && error.isNoResponders()) ||
    (error instanceof Error && error.name === "JetStreamNotEnabled")
  ) {
    // No JetStream on that account, or a leader election in progress: both show as no responders.
    return new TransientError(
      `${where}: JetStream is not answering ${call.action} (${detail}); is JetStream enabled for the account?`,
      { cause: error },
    );
  }
  if (error instanceof JetStreamApiError) {
    if (error.code === WRONG_LAST_SEQUENCE) {
      return new ConcurrencyError(
        `${call.bucket}:${call.action}`,
        `another writer changed the entry (${detail})`,
        {
          cause: error,
        },
      );
    }
    if (error.status === 503 || error.status === 408) {
      return new TransientError(`${where}: ${call.action} failed: ${detail} (err_code ${error.code})`, {
        cause: error,
      });
    }
    return new CertplaneError(
      "INTERNAL",
      `${where}: ${call.action} failed: ${detail} (err_code ${error.code})`,
      {
        cause: error,
      },
    );
  }
  return new CertplaneError("INTERNAL", `${where}: ${call.action} failed: ${detail}`, { cause: error });
}

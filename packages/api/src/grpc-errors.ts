import { type ErrorCode, type ErrorPayload, errorFromPayload, isCertplaneError } from "@certplane/domain";
import { Metadata, type ServiceError, status } from "@grpc/grpc-js";

/** Trailer carrying the full ErrorPayload as UTF-8 JSON (binary key: messages may hold any text). */
export const errorTrailerKey = "certplane-error-bin";

const statusByCode: Readonly<Record<ErrorCode, status>> = {
  VALIDATION: status.INVALID_ARGUMENT,
  NOT_FOUND: status.NOT_FOUND,
  ALREADY_EXISTS: status.ALREADY_EXISTS,
  CONCURRENCY: status.ABORTED,
  FORBIDDEN: status.PERMISSION_DENIED,
  TIMEOUT: status.DEADLINE_EXCEEDED,
  UNAVAILABLE: status.UNAVAILABLE,
  NO_RESPONDERS: status.UNAVAILABLE,
  OWNERSHIP: status.INTERNAL,
  TRANSIENT: status.INTERNAL,
  PAYLOAD_TOO_LARGE: status.INTERNAL,
  INTERNAL: status.INTERNAL,
};

export interface GrpcErrorReply {
  readonly code: status;
  readonly details: string;
  readonly metadata: Metadata;
}

// Only typed errors are passed on as they are; anything else may carry internals (paths, SQL, key
// material in a library's message), so the caller gets a bare INTERNAL and the server reports it.
export function toGrpcError(error: unknown, operation: string): GrpcErrorReply {
  const payload: ErrorPayload = isCertplaneError(error)
    ? error.toPayload()
    : { code: "INTERNAL", message: `internal error while handling ${operation}` };
  const metadata = new Metadata();
  metadata.set(errorTrailerKey, Buffer.from(JSON.stringify(payload), "utf8"));
  return { code: statusByCode[payload.code], details: payload.message, metadata };
}

/** The typed error the server sent, or undefined when the failure never reached certplane code. */
export function errorFromTrailer(error: ServiceError): Error | undefined {
  const [value] = error.metadata?.get(errorTrailerKey) ?? [];
  if (value === undefined) return undefined;
  const payload = JSON.parse(Buffer.isBuffer(value) ? value.toString("utf8") : value) as ErrorPayload;
  return errorFromPayload(payload);
}

import {
  type CertplaneError,
  NoRespondersError,
  PayloadTooLargeError,
  TimeoutError,
  UnavailableError,
} from "@certplane/domain";
import { errors } from "@nats-io/transport-node";
import { permissionDenied } from "./nats-connection.ts";
import { timeoutMessage } from "./request-timeout.ts";

/** Translates a nats.js failure at the boundary, so no driver error escapes the adapter. */
export function translateNatsError(error: unknown, subject: string, timeoutMs?: number): CertplaneError {
  const chain = causes(error);
  const options = { cause: error };
  const denied = permissionDenied(error, `NATS refused ${subject}`);
  if (denied) return denied;
  if (chain.some((e) => e instanceof errors.NoRespondersError))
    return new NoRespondersError(subject, options);
  if (chain.some((e) => e instanceof errors.TimeoutError)) {
    return new TimeoutError(timeoutMessage(subject, timeoutMs ?? 0), options);
  }
  if (chain.some((e) => e instanceof errors.InvalidArgumentError && e.message.includes("max_payload"))) {
    return new PayloadTooLargeError(`message to ${subject} exceeds the server's max_payload`, options);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new UnavailableError(`NATS could not carry ${subject}: ${reason}`, options);
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && chain.length < 8; e = e instanceof Error ? e.cause : undefined) {
    chain.push(e);
  }
  return chain;
}

import { type ErrorCode, type ErrorPayload, errorFromPayload, isCertplaneError } from "@certplane/domain";
import { withRemoteTraceContext } from "@certplane/telemetry";
import { decodePayload, encodePayload } from "./json-codec.ts";
import type { HandlerErrorListener, InboundRequest, MessageHeaders } from "./port.ts";

/** A message as both adapters move it: bytes and flat headers. */
export interface WireMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: MessageHeaders;
}

/** A reply body is the handler's JSON result, or an `ErrorPayload` when `errorCode` is set. */
export interface WireReply {
  readonly data: Uint8Array;
  readonly errorCode: ErrorCode | undefined;
}

type Handler<TPayload, TResult> = (message: InboundRequest<TPayload>) => Promise<TResult>;

function inbound<TPayload>(message: WireMessage): InboundRequest<TPayload> {
  return {
    subject: message.subject,
    payload: decodePayload(message.data) as TPayload,
    headers: Object.freeze({ ...message.headers }),
  };
}

/** Runs a request handler in the caller's trace and turns whatever happens into a reply. */
export async function answerRequest<TRequest, TReply>(
  handler: Handler<TRequest, TReply>,
  message: WireMessage,
  onError: HandlerErrorListener,
): Promise<WireReply> {
  try {
    const reply = await withRemoteTraceContext(message.headers, () => handler(inbound<TRequest>(message)));
    return { data: encodePayload(reply), errorCode: undefined };
  } catch (error) {
    const payload = errorReply(error, message.subject, onError);
    return { data: encodePayload(payload), errorCode: payload.code };
  }
}

export async function deliverMessage<TPayload>(
  handler: Handler<TPayload, void>,
  message: WireMessage,
  onError: HandlerErrorListener,
): Promise<void> {
  try {
    await withRemoteTraceContext(message.headers, () => handler(inbound<TPayload>(message)));
  } catch (error) {
    onError(error, message.subject);
  }
}

// Only typed errors cross the bus as they are; anything else may carry internals (paths, SQL,
// key material in a library's message), so the requester gets a bare INTERNAL and the service logs it.
function errorReply(error: unknown, subject: string, onError: HandlerErrorListener): ErrorPayload {
  if (isCertplaneError(error)) return error.toPayload();
  onError(error, subject);
  return { code: "INTERNAL", message: `internal error while handling ${subject}` };
}

/** The requester's side: the reply value, or the handler's typed error rebuilt and thrown. */
export function readReply(subject: string, reply: WireReply): unknown {
  if (reply.errorCode === undefined) return decodePayload(reply.data);
  const payload = decodePayload(reply.data);
  throw errorFromPayload(isErrorPayload(payload) ? payload : malformed(subject));
}

function isErrorPayload(value: unknown): value is ErrorPayload {
  if (typeof value !== "object" || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === "string" && typeof message === "string";
}

function malformed(subject: string): ErrorPayload {
  return { code: "INTERNAL", message: `malformed error reply from ${subject}` };
}

import type * as status from "@eventstore/db-client/generated/status_pb.js";
import type { Message } from "google-protobuf";
import type { ExpectedRevision } from "./esdb-commit-check.ts";
import {
  Any,
  BadRequest,
  Code,
  Empty,
  MaximumAppendSizeExceeded,
  Status,
  WrongExpectedVersion,
} from "./esdb-proto.ts";

// The google.rpc.Status values the server puts into a BatchAppend response (Google.Rpc.Status in
// Status.cs): the client picks the error by the details' type name.

function statusOf(code: number, message: string, typeName: string, details: Message): status.Status {
  const any = new Any();
  any.pack(details.serializeBinary(), `event_store.client.${typeName}`);
  return new Status().setCode(code).setMessage(message).setDetails(any);
}

/** `current` is undefined when the stream has no events. */
export function wrongExpectedVersion(current: bigint | undefined, expected: ExpectedRevision): status.Status {
  const details = new WrongExpectedVersion();
  if (current === undefined) details.setCurrentNoStream(new Empty());
  else details.setCurrentStreamRevision(current.toString());
  if (expected === "any") details.setExpectedAny(new Empty());
  else if (expected === "no_stream") details.setExpectedNoStream(new Empty());
  else if (expected === "stream_exists") details.setExpectedStreamExists(new Empty());
  else details.setExpectedStreamPosition(expected.toString());
  return statusOf(Code.ALREADY_EXISTS, "WrongExpectedVersion", "WrongExpectedVersion", details);
}

export function maximumAppendSizeExceeded(maxAppendSize: number): status.Status {
  const details = new MaximumAppendSizeExceeded().setMaxappendsize(maxAppendSize);
  return statusOf(Code.INVALID_ARGUMENT, "MaximumAppendSizeExceeded", "MaximumAppendSizeExceeded", details);
}

export function badRequest(message: string): status.Status {
  return statusOf(Code.INVALID_ARGUMENT, "BadRequest", "BadRequest", new BadRequest().setMessage(message));
}

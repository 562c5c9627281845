import type * as shared from "@eventstore/db-client/generated/shared_pb.js";
import { StreamIdentifier, UUID } from "./esdb-proto.ts";

/** A client mistake the server answers with BadRequest. */
export class BadRequestError extends Error {
  override readonly name = "BadRequestError";
}

export function streamIdentifier(name: string): shared.StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(name, "utf8"));
}

export function streamNameOf(identifier: shared.StreamIdentifier | undefined): string {
  if (identifier === undefined) throw new BadRequestError("Required field StreamIdentifier not set.");
  return Buffer.from(identifier.getStreamName_asU8()).toString("utf8");
}

export function uuid(id: string): shared.UUID {
  return new UUID().setString(id);
}

/** The client sends every id in string form; the structured form is not implemented here. */
export function uuidText(id: shared.UUID | undefined): string {
  if (id === undefined || !id.hasString()) {
    throw new BadRequestError("the EventStoreDB stand-in reads string UUIDs only");
  }
  return id.getString();
}

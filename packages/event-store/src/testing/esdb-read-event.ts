import type * as streams from "@eventstore/db-client/generated/streams_pb.js";
import type { LoggedEvent } from "./esdb-log.ts";
import { ReadResp } from "./esdb-proto.ts";
import { streamIdentifier, uuid } from "./esdb-wire.ts";

/**
 * One event of a read or subscription, as the server sends it. Stream reads carry the event's
 * `$all` position too, as servers do since 22.x (earlier ones sent 2^64-1 there).
 */
export function readEvent(event: LoggedEvent): streams.ReadResp {
  const position = event.position.toString();
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(uuid(event.id))
    .setStreamIdentifier(streamIdentifier(event.stream))
    .setStreamRevision(event.revision.toString())
    .setCommitPosition(position)
    .setPreparePosition(position)
    .setData(event.data)
    .setCustomMetadata(event.metadata);
  recorded
    .getMetadataMap()
    .set("type", event.type)
    .set("created", event.created.toString())
    .set("content-type", event.isJson ? "application/json" : "application/octet-stream");
  return new ReadResp().setEvent(new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(position));
}

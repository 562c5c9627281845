import type * as shared from "@eventstore/db-client/generated/shared_pb.js";
import type * as status from "@eventstore/db-client/generated/status_pb.js";
import type * as streams from "@eventstore/db-client/generated/streams_pb.js";
import type { ServerDuplexStream } from "@grpc/grpc-js";
import type { ExpectedRevision } from "./esdb-commit-check.ts";
import type { EsdbLog, ProposedEvent } from "./esdb-log.ts";
import { AllStreamPosition, BatchAppendReq, BatchAppendResp } from "./esdb-proto.ts";
import { badRequest, maximumAppendSizeExceeded, wrongExpectedVersion } from "./esdb-status.ts";
import { BadRequestError, streamIdentifier, streamNameOf, uuidText } from "./esdb-wire.ts";

type Call = ServerDuplexStream<streams.BatchAppendReq, streams.BatchAppendResp>;

/** One write being received: a client may spread its events over several requests. */
interface PendingWrite {
  readonly stream: string;
  readonly expected: ExpectedRevision;
  readonly events: ProposedEvent[];
  size: number;
}

const JSON_CONTENT_TYPE = "application/json";
const ExpectedCase = BatchAppendReq.Options.ExpectedStreamPositionCase;

function expectedOf(options: streams.BatchAppendReq.Options): ExpectedRevision {
  switch (options.getExpectedStreamPositionCase()) {
    case ExpectedCase.STREAM_POSITION:
      return BigInt(options.getStreamPosition());
    case ExpectedCase.NO_STREAM:
      return "no_stream";
    case ExpectedCase.ANY:
      return "any";
    case ExpectedCase.STREAM_EXISTS:
      return "stream_exists";
    default:
      throw new BadRequestError("Specified argument was out of the range of valid values.");
  }
}

function metadataValue(message: streams.BatchAppendReq.ProposedMessage, key: string): string {
  const value = message.getMetadataMap().get(key);
  // The words of the .NET KeyNotFoundException the server turns into BadRequest.
  if (value === undefined) {
    throw new BadRequestError(`The given key '${key}' was not present in the dictionary.`);
  }
  return value;
}

function proposedEvent(message: streams.BatchAppendReq.ProposedMessage): ProposedEvent {
  return {
    id: uuidText(message.getId()),
    type: metadataValue(message, "type"),
    isJson: metadataValue(message, "content-type") === JSON_CONTENT_TYPE,
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

/** Event.SizeOnDisk, which the server holds against its maximum append size. */
function sizeOnDisk(event: ProposedEvent): number {
  return event.data.byteLength + event.metadata.byteLength + event.type.length * 2;
}

function respond(
  correlation: shared.UUID | undefined,
  stream: string | undefined,
  result: status.Status | streams.BatchAppendResp.Success,
): streams.BatchAppendResp {
  const response = new BatchAppendResp().setCorrelationId(correlation);
  if (stream !== undefined) response.setStreamIdentifier(streamIdentifier(stream));
  return result instanceof BatchAppendResp.Success ? response.setSuccess(result) : response.setError(result);
}

function commit(log: EsdbLog, write: PendingWrite): status.Status | streams.BatchAppendResp.Success {
  if (write.events.length === 0) {
    return badRequest("the EventStoreDB stand-in does not implement empty appends");
  }
  const outcome = log.append(write.stream, write.expected, write.events);
  if (outcome.result === "wrongExpectedVersion") return wrongExpectedVersion(outcome.current, write.expected);
  const position = new AllStreamPosition()
    .setCommitPosition(outcome.position.toString())
    .setPreparePosition(outcome.position.toString());
  return new BatchAppendResp.Success().setCurrentRevision(outcome.revision.toString()).setPosition(position);
}

/**
 * Streams.BatchAppend: requests carry a correlation id, the first one of a write its options, the
 * last one `is_final`; each write is answered on the same stream under its correlation id. Writes
 * finish at once here, so the deadline in the options never runs out.
 */
export function batchAppend(log: EsdbLog, maxAppendSize: number): (call: Call) => void {
  return (call) => {
    const pending = new Map<string, PendingWrite>();
    call.on("data", (request: streams.BatchAppendReq) => {
      const correlation = request.getCorrelationId();
      const options = request.getOptions();
      let stream: string | undefined;
      let key: string | undefined;
      try {
        key = uuidText(correlation);
        if (options !== undefined) {
          stream = streamNameOf(options.getStreamIdentifier());
          pending.set(key, { stream, expected: expectedOf(options), events: [], size: 0 });
        }
        const write = pending.get(key);
        if (write === undefined) return;
        stream = write.stream;
        for (const message of request.getProposedMessagesList()) {
          const event = proposedEvent(message);
          write.events.push(event);
          write.size += sizeOnDisk(event);
        }
        if (write.size > maxAppendSize) {
          pending.delete(key);
          call.write(respond(correlation, stream, maximumAppendSizeExceeded(maxAppendSize)));
          return;
        }
        if (!request.getIsFinal()) return;
        pending.delete(key);
        call.write(respond(correlation, stream, commit(log, write)));
      } catch (error) {
        if (!(error instanceof BadRequestError)) throw error;
        if (key !== undefined) pending.delete(key);
        call.write(respond(correlation, stream, badRequest(error.message)));
      }
    });
    call.on("end", () => call.end());
  };
}

import type * as streams from "@eventstore/db-client/generated/streams_pb.js";
import { type ServerWritableStream, status } from "@grpc/grpc-js";
import { eventFilterOf } from "./esdb-filter.ts";
import type { EsdbLog, LoggedEvent } from "./esdb-log.ts";
import { ReadReq, ReadResp } from "./esdb-proto.ts";
import { readEvent } from "./esdb-read-event.ts";
import { send } from "./esdb-send.ts";
import { type SubscriptionStart, subscribeToAll } from "./esdb-subscription.ts";
import { streamIdentifier, streamNameOf } from "./esdb-wire.ts";

type Call = ServerWritableStream<streams.ReadReq, streams.ReadResp>;
type Options = streams.ReadReq.Options;

const { CountOptionCase, FilterOptionCase, ReadDirection, StreamOptionCase } = ReadReq.Options;
const { AllOptionCase } = ReadReq.Options.AllOptions;
const RevisionCase = ReadReq.Options.StreamOptions.RevisionOptionCase;
const UuidCase = ReadReq.Options.UUIDOption.ContentCase;

/** Thrown for read shapes the stand-in does not serve; the call ends with UNIMPLEMENTED. */
class UnimplementedRead extends Error {
  override readonly name = "UnimplementedRead";
}

function countOf(options: Options): number {
  const count = BigInt(options.getCount());
  return count > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(count);
}

function backwards(options: Options): boolean {
  return options.getReadDirection() === ReadDirection.BACKWARDS;
}

/** A stream's events from the requested revision, in the requested direction, at most `count`. */
function streamSlice(options: Options, events: readonly LoggedEvent[]): readonly LoggedEvent[] {
  const stream = options.getStream()!;
  const last = events.length - 1;
  const from =
    stream.getRevisionOptionCase() === RevisionCase.REVISION
      ? Number(stream.getRevision())
      : stream.getRevisionOptionCase() === RevisionCase.END
        ? backwards(options)
          ? last
          : events.length
        : 0;
  const count = countOf(options);
  if (!backwards(options)) return events.slice(from, from + count);
  const end = Math.min(from, last) + 1;
  return events.slice(Math.max(0, end - count), end).reverse();
}

/** `$all` from start, end or a position: forwards includes the event at the position, backwards stops before it. */
function allSlice(options: Options, all: readonly LoggedEvent[]): readonly LoggedEvent[] {
  const allOptions = options.getAll()!;
  const position = allOptions.getPosition();
  const boundary =
    allOptions.getAllOptionCase() === AllOptionCase.POSITION && position !== undefined
      ? indexAtOrAfter(all, BigInt(position.getCommitPosition()), BigInt(position.getPreparePosition()))
      : allOptions.getAllOptionCase() === AllOptionCase.END
        ? all.length
        : 0;
  const count = countOf(options);
  if (!backwards(options)) return all.slice(boundary, boundary + count);
  return all.slice(Math.max(0, boundary - count), boundary).reverse();
}

function indexAtOrAfter(all: readonly LoggedEvent[], commit: bigint, prepare: bigint): number {
  const at = all.findIndex(
    (event) => event.position > commit || (event.position === commit && event.position >= prepare),
  );
  return at < 0 ? all.length : at;
}

function subscriptionStart(options: Options): SubscriptionStart {
  const allOptions = options.getAll()!;
  const position = allOptions.getPosition();
  if (allOptions.getAllOptionCase() === AllOptionCase.END) return "end";
  if (allOptions.getAllOptionCase() !== AllOptionCase.POSITION || position === undefined) return "start";
  return { commit: BigInt(position.getCommitPosition()), prepare: BigInt(position.getPreparePosition()) };
}

async function sendAll(call: Call, events: readonly LoggedEvent[], stop: AbortSignal): Promise<void> {
  for (const event of events) await send(call, readEvent(event), stop);
}

async function serve(call: Call, log: EsdbLog, stop: AbortSignal): Promise<void> {
  const options = call.request.getOptions();
  if (options === undefined) throw new UnimplementedRead("a read without options");
  if (options.getUuidOption()?.getContentCase() !== UuidCase.STRING) {
    throw new UnimplementedRead("reads with structured UUIDs");
  }
  const source = options.getStreamOptionCase();
  const count = options.getCountOptionCase();
  const unfiltered = options.getFilterOptionCase() === FilterOptionCase.NO_FILTER;
  if (source === StreamOptionCase.STREAM && count === CountOptionCase.COUNT && unfiltered) {
    const name = streamNameOf(options.getStream()?.getStreamIdentifier());
    const events = log.stream(name);
    if (events.length === 0) {
      // Since 21.x a missing stream is a message on the read, not an error status.
      const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name));
      return send(call, new ReadResp().setStreamNotFound(notFound), stop);
    }
    return sendAll(call, streamSlice(options, events), stop);
  }
  if (source === StreamOptionCase.ALL && count === CountOptionCase.COUNT && unfiltered) {
    return sendAll(call, allSlice(options, log.all), stop);
  }
  if (source === StreamOptionCase.ALL && count === CountOptionCase.SUBSCRIPTION) {
    return subscribeToAll(call, log, subscriptionStart(options), eventFilterOf(options), stop);
  }
  throw new UnimplementedRead("subscriptions to one stream and filtered reads");
}

/** Streams.Read: stream and `$all` reads with a count, and catch-up subscriptions to `$all`. */
export function read(log: EsdbLog): (call: Call) => void {
  return (call) => {
    const stop = new AbortController();
    call.once("cancelled", () => stop.abort());
    serve(call, log, stop.signal).then(
      () => call.end(),
      (error: unknown) => {
        const unimplemented = error instanceof UnimplementedRead;
        call.emit("error", {
          code: unimplemented ? status.UNIMPLEMENTED : status.INTERNAL,
          details: unimplemented
            ? `the EventStoreDB stand-in does not implement ${(error as Error).message}`
            : String(error),
        });
      },
    );
  };
}

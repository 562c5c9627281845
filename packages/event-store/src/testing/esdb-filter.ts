import type * as streams from "@eventstore/db-client/generated/streams_pb.js";
import type { LoggedEvent } from "./esdb-log.ts";
import { ReadReq } from "./esdb-proto.ts";

export type EventFilter = (event: LoggedEvent) => boolean;

const FilterCase = ReadReq.Options.FilterOptions.FilterCase;

/**
 * The server's EventFilter: on the stream name or the event type, a regex when one is given, else
 * any of the prefixes. The server runs .NET regexes; the patterns clients send mean the same in JS.
 */
export function eventFilterOf(options: streams.ReadReq.Options): EventFilter {
  const filter = options.getFilter();
  if (filter === undefined) return () => true;
  const onStream = filter.getFilterCase() === FilterCase.STREAM_IDENTIFIER;
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  const field = (event: LoggedEvent) => (onStream ? event.stream : event.type);
  const regex = expression?.getRegex() ?? "";
  if (regex !== "") {
    const pattern = new RegExp(regex);
    return (event) => pattern.test(field(event));
  }
  const prefixes = expression?.getPrefixList() ?? [];
  return (event) => prefixes.some((prefix) => field(event).startsWith(prefix));
}

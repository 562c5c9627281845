import { randomUUID } from "node:crypto";
import type * as streams from "@eventstore/db-client/generated/streams_pb.js";
import type { ServerWritableStream } from "@grpc/grpc-js";
import type { EventFilter } from "./esdb-filter.ts";
import type { EsdbLog } from "./esdb-log.ts";
import { ReadResp } from "./esdb-proto.ts";
import { readEvent } from "./esdb-read-event.ts";
import { send } from "./esdb-send.ts";

type Call = ServerWritableStream<streams.ReadReq, streams.ReadResp>;

/** Where a catch-up subscription to `$all` starts: an index into the log. */
export type SubscriptionStart = "start" | "end" | { readonly commit: bigint; readonly prepare: bigint };

function firstIndex(log: EsdbLog, from: SubscriptionStart): number {
  const all = log.all;
  if (from === "start") return 0;
  if (from === "end") return all.length;
  // The server reads one record at the position and starts after it (AllSubscription.Subscribe),
  // so a subscription from an event's position begins with the next event.
  const at = all.findIndex(
    (event) =>
      event.position > from.commit || (event.position === from.commit && event.position >= from.prepare),
  );
  return at < 0 ? all.length : at + 1;
}

/**
 * A catch-up subscription to `$all`: the confirmation, the matching history, CaughtUp (sent since
 * 23.10), then live events until the client cancels. Filtered subscriptions on the server also send
 * Checkpoint messages every so many considered events; clients act on them only when asked to, and
 * the stand-in does not send them.
 */
export async function subscribeToAll(
  call: Call,
  log: EsdbLog,
  from: SubscriptionStart,
  filter: EventFilter,
  stop: AbortSignal,
): Promise<void> {
  const confirmation = new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID());
  await send(call, new ReadResp().setConfirmation(confirmation), stop);
  let next = firstIndex(log, from);
  let caughtUp = false;
  while (!stop.aborted) {
    const seen = log.appended.generation;
    while (next < log.all.length && !stop.aborted) {
      const event = log.all[next++]!;
      if (filter(event)) await send(call, readEvent(event), stop);
    }
    if (!caughtUp) {
      caughtUp = true;
      await send(call, new ReadResp().setCaughtUp(new ReadResp.CaughtUp()), stop);
    }
    await log.appended.wait(seen, stop);
  }
}

import type { NewEvent } from "@certplane/domain";
import { CHAIN_GENESIS, eventChainHash } from "./chain-hash.ts";

/** What is wrong with an event: its content changed, events before it are gone, or it moved. */
export type ChainProblemKind = "altered" | "removed" | "reordered" | "unchained";

export interface ChainProblem {
  readonly kind: ChainProblemKind;
  readonly stream: string;
  /** The revision the problem is at (for `removed`, the first missing one). */
  readonly revision: number;
  /** The event concerned: the altered or moved one, or for `removed` the first one after the gap. */
  readonly eventId?: string;
  readonly message: string;
}

/** A stream's chain as recomputed: its length and every event's hash, by revision. */
export interface VerifiedChain {
  readonly stream: string;
  readonly count: number;
  /** hashes[r] is the recomputed hash of the event at revision r. */
  readonly hashes: readonly string[];
  /** Events written before chaining existed; they are covered by the next chained event. */
  readonly unchained: number;
  /** The first problem, when there is one; `hashes` then stops before it. */
  readonly problem?: ChainProblem;
}

/**
 * Recomputes one stream's chain from its events in stream order and names the first problem:
 * - `altered`: an event's content no longer hashes to its link, or the next event's link does not
 *   name it (its hash was rewritten to match an edit);
 * - `removed`: revisions are missing before an event (a deleted row or message);
 * - `reordered`: an event sits at another revision than it was written at;
 * - `unchained`: an event without a link after linked ones (a link cannot be dropped silently).
 * Tail events removed, or a whole stream, leave no trace in the stream itself: checkpoints find those.
 */
export function verifyStreamChain(stream: string, events: readonly NewEvent[]): VerifiedChain {
  const hashes: string[] = [];
  let unchained = 0;
  let prev = CHAIN_GENESIS;
  let seenLink = false;
  const stop = (problem: ChainProblem): VerifiedChain => ({
    stream,
    count: events.length,
    hashes,
    unchained,
    problem,
  });
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    const link = event.metadata.chain;
    if (link === undefined) {
      if (seenLink) {
        return stop({
          kind: "unchained",
          stream,
          revision: index,
          eventId: event.id,
          message: `event ${event.id} at revision ${index} has no chain link although earlier events have one`,
        });
      }
      unchained++;
      prev = eventChainHash(stream, event, index, prev);
      hashes.push(prev);
      continue;
    }
    seenLink = true;
    if (eventChainHash(stream, event, link.revision, link.prev) !== link.hash) {
      return stop({
        kind: "altered",
        stream,
        revision: index,
        eventId: event.id,
        message: `event ${event.id} at revision ${index} (${event.type}) was altered: its content no longer matches its hash`,
      });
    }
    if (link.revision !== index) {
      const laterAtHere = events.slice(index + 1).find((later) => later.metadata.chain?.revision === index);
      if (link.revision > index && laterAtHere === undefined) {
        const missing = link.revision - index;
        return stop({
          kind: "removed",
          stream,
          revision: index,
          eventId: event.id,
          message:
            missing === 1
              ? `the event at revision ${index} was removed (the next one, ${event.id}, was written as revision ${link.revision})`
              : `events at revisions ${index}..${link.revision - 1} were removed (the next one, ${event.id}, was written as revision ${link.revision})`,
        });
      }
      return stop({
        kind: "reordered",
        stream,
        revision: index,
        eventId: event.id,
        message: `event ${event.id} (${event.type}) was written as revision ${link.revision} but is now at revision ${index}`,
      });
    }
    if (link.prev !== prev) {
      const previous = events[index - 1];
      if (previous === undefined) {
        return stop({
          kind: "removed",
          stream,
          revision: 0,
          eventId: event.id,
          message: `the stream's first event is not the one it began with: ${event.id} links to a predecessor that is gone`,
        });
      }
      return stop({
        kind: "altered",
        stream,
        revision: index - 1,
        eventId: previous.id,
        message:
          `event ${previous.id} at revision ${index - 1} (${previous.type}) was altered or replaced: ` +
          `the next event's link names another hash`,
      });
    }
    prev = link.hash;
    hashes.push(prev);
  }
  return { stream, count: events.length, hashes, unchained };
}

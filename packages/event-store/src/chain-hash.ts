import { createHash } from "node:crypto";
import type { EventChainLink, EventMetadata, NewEvent } from "@certplane/domain";

/** `prev` of a stream's first event. */
export const CHAIN_GENESIS = "";

/**
 * JSON with object keys sorted at every level, after one JSON round trip. Every adapter stores
 * data and metadata as JSON and may hand keys back in another order (SQLite's json functions,
 * EventStoreDB's serialiser), so the hash is taken over this form: what the store returns hashes
 * like what was appended, and `undefined` fields count as absent, as they are once stored.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(JSON.parse(JSON.stringify(value ?? null))));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort())
    sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The metadata an event's hash covers: all of it except its own chain link. */
export function metadataWithoutChain(metadata: EventMetadata): Omit<EventMetadata, "chain"> {
  const { chain: _chain, ...rest } = metadata;
  return rest;
}

/**
 * The hash one event commits to. It covers what the appender chose (id, type, schema version,
 * data, metadata) and where the event sits (stream, revision, the previous hash), not what the
 * adapter assigns afterwards (version, position, recordedAt), so it is known before the append and
 * is the same on every adapter.
 */
export function eventChainHash(
  stream: string,
  event: Pick<NewEvent, "id" | "type" | "schemaVersion" | "data" | "metadata">,
  revision: number,
  prev: string,
): string {
  return sha256Hex(
    canonicalJson({
      stream,
      revision,
      prev,
      id: event.id,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: metadataWithoutChain(event.metadata),
    }),
  );
}

/** The stream's chain after `events`: how many there are and the last hash. */
export interface ChainHead {
  readonly count: number;
  readonly hash: string;
}

/** Links `events` onto `head`, in order: several events of one commit chain to each other. */
export function linkEvents(
  stream: string,
  events: readonly NewEvent[],
  head: ChainHead,
): { readonly events: NewEvent[]; readonly head: ChainHead } {
  let { count, hash } = head;
  const linked = events.map((event): NewEvent => {
    const metadata = metadataWithoutChain(event.metadata);
    const link: EventChainLink = {
      revision: count,
      prev: hash,
      hash: eventChainHash(stream, { ...event, metadata }, count, hash),
    };
    count += 1;
    hash = link.hash;
    return { ...event, metadata: { ...metadata, chain: link } };
  });
  return { events: linked, head: { count, hash } };
}

/**
 * The head a new event links onto, from a stream as read. A chained last event gives it directly;
 * events written before chaining existed have no link, so the head is then recomputed over the
 * stream (each unchained event hashed onto the previous), which makes the next chained event
 * cover them too.
 */
export function chainHeadOf(stream: string, events: readonly NewEvent[]): ChainHead {
  const last = events[events.length - 1];
  if (last === undefined) return { count: 0, hash: CHAIN_GENESIS };
  const link = last.metadata.chain;
  if (link !== undefined) return { count: link.revision + 1, hash: link.hash };
  let hash = CHAIN_GENESIS;
  events.forEach((event, revision) => {
    hash = event.metadata.chain?.hash ?? eventChainHash(stream, event, revision, hash);
  });
  return { count: events.length, hash };
}

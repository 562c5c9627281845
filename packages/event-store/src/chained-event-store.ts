import type { ExpectedVersion, NewEvent, StreamVersion } from "@certplane/domain";
import { ConcurrencyError } from "@certplane/domain";
import { type ChainHead, chainHeadOf, linkEvents } from "./chain-hash.ts";
import type { AppendResult, EventStore, StreamRead, SubscribeOptions, Subscription } from "./port.ts";

export interface ChainedEventStoreOptions {
  /** Stream heads remembered between a read and the append that follows it (default 10,000). */
  readonly cacheSize?: number;
  /** How often an `"any"` append retries when another writer slips in between (default 8). */
  readonly maxAnyAttempts?: number;
}

interface CachedHead extends ChainHead {
  readonly version: StreamVersion;
}

/**
 * Adds tamper evidence to any adapter: every appended event's metadata gets a `chain` link (its
 * revision, the previous event's hash and its own, see chain-hash.ts). It is one decorator rather
 * than code in each adapter so that every adapter chains identically and no adapter can forget.
 *
 * The previous hash must be the one of the event that is the stream's head when the commit lands.
 * The store's expected-version check guarantees that: a head seen at version V is the head as long
 * as the store is at V, and an append expecting V only lands then. So the head is taken from the
 * read the caller made before deciding (the aggregate runner always reads first; reads through
 * this store are remembered), and only when that is unknown is the stream read here. A caller that
 * expects a version other than the one read here would have been refused by the store anyway, so
 * that is a ConcurrencyError at once; an `"any"` append becomes a checked one at the version read
 * here, retried on conflict, because an unchecked append could land after a foreign one and link
 * to the wrong head.
 */
export class ChainedEventStore implements EventStore {
  readonly #store: EventStore;
  readonly #heads = new Map<string, CachedHead>();
  readonly #cacheSize: number;
  readonly #maxAnyAttempts: number;

  constructor(store: EventStore, options: ChainedEventStoreOptions = {}) {
    this.#store = store;
    this.#cacheSize = options.cacheSize ?? 10_000;
    this.#maxAnyAttempts = options.maxAnyAttempts ?? 8;
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    if (expected === "any") return await this.#appendAny(stream, events);
    if (expected === "no_stream")
      return await this.#appendOnto(stream, events, expected, { count: 0, hash: "" });
    const cached = this.#heads.get(stream);
    if (cached?.version === expected) return await this.#appendOnto(stream, events, expected, cached);
    const read = await this.read(stream);
    if (read.version !== expected) {
      // A retried commit that already landed: let the store answer it as the duplicate it is.
      if (events[0] !== undefined && read.events.some((event) => event.id === events[0]!.id)) {
        return await this.#appendOnto(stream, events, expected, chainHeadOf(stream, read.events));
      }
      throw new ConcurrencyError(
        stream,
        `expected version ${expected}, found ${read.version === undefined ? "no stream" : `version ${read.version}`}`,
      );
    }
    return await this.#appendOnto(stream, events, expected, chainHeadOf(stream, read.events));
  }

  async read(stream: string): Promise<StreamRead> {
    const read = await this.#store.read(stream);
    if (read.version === undefined) this.#heads.delete(stream);
    else this.#remember(stream, { version: read.version, ...chainHeadOf(stream, read.events) });
    return read;
  }

  subscribe(options: SubscribeOptions): Promise<Subscription> {
    return this.#store.subscribe(options);
  }

  close(): Promise<void> {
    return this.#store.close();
  }

  async #appendAny(stream: string, events: readonly NewEvent[]): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const read = await this.read(stream);
      try {
        return await this.#appendOnto(
          stream,
          events,
          read.version ?? "no_stream",
          chainHeadOf(stream, read.events),
        );
      } catch (error) {
        if (error instanceof ConcurrencyError && attempt < this.#maxAnyAttempts) continue;
        throw error;
      }
    }
  }

  async #appendOnto(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
    head: ChainHead,
  ): Promise<AppendResult> {
    const linked = linkEvents(stream, events, head);
    let result: AppendResult;
    try {
      result = await this.#store.append(stream, linked.events, expected);
    } catch (error) {
      this.#heads.delete(stream);
      throw error;
    }
    // A duplicate stored nothing new, so what the head is now is unknown here.
    if (result.duplicate) this.#heads.delete(stream);
    else this.#remember(stream, { version: result.version, ...linked.head });
    return result;
  }

  #remember(stream: string, head: CachedHead): void {
    // Map keeps insertion order: re-inserting moves a stream to the back, the front is the oldest.
    this.#heads.delete(stream);
    this.#heads.set(stream, head);
    if (this.#heads.size > this.#cacheSize) {
      const oldest = this.#heads.keys().next().value;
      if (oldest !== undefined) this.#heads.delete(oldest);
    }
  }
}

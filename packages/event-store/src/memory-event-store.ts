import type { Clock, ExpectedVersion, NewEvent, RecordedEvent, StreamVersion } from "@certplane/domain";
import { AlreadyExistsError, systemClock } from "@certplane/domain";
import { assertExpectedVersion } from "./expected-version.ts";
import { type PolledSource, startPolledSubscription } from "./polled-subscription.ts";
import type { AppendResult, EventStore, StreamRead, SubscribeOptions, Subscription } from "./port.ts";
import { storeClosedError } from "./store-closed.ts";
import { parseStreamName } from "./stream-name.ts";
import { inCategories, resolveSubscribeOptions } from "./subscription-options.ts";
import { SubscriptionSet } from "./subscription-set.ts";
import { validateAppend } from "./validate-append.ts";
import { WakeSignal } from "./wake-signal.ts";

interface StoredCommit {
  readonly stream: string;
  readonly result: AppendResult;
}

/**
 * The storage behind memory stores. Several MemoryEventStore instances may share one log, which is
 * how tests stand in for several processes on one database.
 */
export class MemoryEventLog implements PolledSource {
  readonly wake = new WakeSignal();
  /** Index i holds position i + 1. */
  readonly #all: RecordedEvent[] = [];
  readonly #streams = new Map<string, RecordedEvent[]>();
  readonly #commitsByFirstId = new Map<string, StoredCommit>();
  readonly #ids = new Set<string>();
  readonly #checkpoints = new Map<string, number>();

  append(stream: string, events: readonly NewEvent[], expected: ExpectedVersion, clock: Clock): AppendResult {
    const first = events[0]!;
    const retried = this.#commitsByFirstId.get(first.id);
    if (retried?.stream === stream) return { ...retried.result, duplicate: true };
    const existing = this.#streams.get(stream);
    const current = existing === undefined ? undefined : existing[existing.length - 1]!.version;
    assertExpectedVersion(stream, current, expected);
    for (const event of events) {
      if (this.#ids.has(event.id)) throw new AlreadyExistsError(`event id ${event.id} is already stored`);
    }
    const base = current === undefined ? 0n : current + 1n;
    const version: StreamVersion = base + BigInt(events.length - 1);
    const recordedAt = clock.now().toISOString();
    const recorded = events.map(
      (event, index): RecordedEvent =>
        Object.freeze({
          ...structuredClone(event),
          stream,
          version,
          position: String(this.#all.length + index + 1),
          recordedAt,
        }),
    );
    this.#all.push(...recorded);
    this.#streams.set(stream, [...(existing ?? []), ...recorded]);
    for (const event of events) this.#ids.add(event.id);
    const result: AppendResult = {
      version,
      position: recorded[recorded.length - 1]!.position,
      duplicate: false,
    };
    this.#commitsByFirstId.set(first.id, { stream, result });
    this.wake.notify();
    return result;
  }

  read(stream: string): StreamRead {
    const events = this.#streams.get(stream) ?? [];
    return { version: events[events.length - 1]?.version, events: [...events] };
  }

  countAfter(position: number, categories: readonly string[]): number {
    const later = this.#all.slice(position);
    return categories.length === 0
      ? later.length
      : later.filter((event) => categories.includes(event.stream.slice(0, event.stream.indexOf("-")))).length;
  }

  eventsAfter(position: number, categories: readonly string[], limit: number): readonly RecordedEvent[] {
    const page: RecordedEvent[] = [];
    for (let i = position; i < this.#all.length && page.length < limit; i++) {
      const event = this.#all[i]!;
      if (inCategories(event.stream, categories)) page.push(event);
    }
    return page;
  }

  loadCheckpoint(name: string): number | undefined {
    return this.#checkpoints.get(name);
  }

  saveCheckpoint(name: string, position: number): void {
    this.#checkpoints.set(name, position);
  }
}

export interface MemoryEventStoreOptions {
  /** Share a log to model several processes over one store; a fresh log by default. */
  readonly log?: MemoryEventLog;
  readonly clock?: Clock;
}

/** In-process reference implementation of the port's semantics, for unit tests. */
export class MemoryEventStore implements EventStore {
  readonly log: MemoryEventLog;
  readonly #clock: Clock;
  readonly #subscriptions = new SubscriptionSet();
  #closed = false;

  constructor(options: MemoryEventStoreOptions = {}) {
    this.log = options.log ?? new MemoryEventLog();
    this.#clock = options.clock ?? systemClock;
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    this.#assertOpen();
    validateAppend(stream, events, expected);
    return this.log.append(stream, events, expected, this.#clock);
  }

  async read(stream: string): Promise<StreamRead> {
    this.#assertOpen();
    parseStreamName(stream);
    return this.log.read(stream);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.#assertOpen();
    return this.#subscriptions.track(startPolledSubscription(this.log, resolveSubscribeOptions(options)));
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#subscriptions.stopAll();
  }

  #assertOpen(): void {
    if (this.#closed) throw storeClosedError("memory");
  }
}

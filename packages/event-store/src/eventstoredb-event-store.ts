import { randomUUID } from "node:crypto";
import type { EventMetadata, ExpectedVersion, NewEvent, RecordedEvent } from "@certplane/domain";
import { ValidationError } from "@certplane/domain";
import {
  ANY,
  type AppendExpectedRevision,
  BACKWARDS,
  END,
  type AppendResult as EsdbAppendResult,
  type EventData,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  type Position,
  type ResolvedEvent,
  START,
  StreamNotFoundError,
  streamNameFilter,
} from "@eventstore/db-client";
import { deliverUntilAccepted, pause } from "./deliver.ts";
import { appendGate } from "./eventstoredb-append-gate.ts";
import { CaughtUpSignal } from "./eventstoredb-caught-up.ts";
import { translateAppendError, translateEsdbError } from "./eventstoredb-errors.ts";
import type { AppendResult, EventStore, StreamRead, SubscribeOptions, Subscription } from "./port.ts";
import { storeClosedError } from "./store-closed.ts";
import { parseStreamName } from "./stream-name.ts";
import {
  inCategories,
  type ResolvedSubscribeOptions,
  resolveSubscribeOptions,
} from "./subscription-options.ts";
import { loopSubscription, SubscriptionSet } from "./subscription-set.ts";
import { validateAppend } from "./validate-append.ts";

export interface EventStoreDbEventStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false` */
  readonly connectionString: string;
  /**
   * Keeps several installations (or test runs) apart on one server: ESDB streams are named
   * `<namespace>.<stream>` (a stream name never holds a dot). None by default.
   */
  readonly namespace?: string;
}

/** Durable checkpoints live in `certplaneCheckpoint-<name>` streams, which subscriptions never see. */
const CHECKPOINT_CATEGORY = "certplaneCheckpoint";

/** What we add to ESDB metadata besides the envelope's own fields. */
interface StoredMetadata extends EventMetadata {
  readonly $correlationId: string;
  readonly $causationId: string;
  readonly certplane: {
    readonly schemaVersion: number;
    /** Index and size of the commit, so each event's commit version can be derived from its revision. */
    readonly commitIndex: number;
    readonly commitSize: number;
    /** Unique per append call: tells a fresh write from an idempotent replay of an earlier one. */
    readonly attempt: string;
  };
}

function formatPosition(position: Position | undefined): string {
  return position === undefined ? "" : `${position.commit}/${position.prepare}`;
}

function parsePosition(checkpoint: string): Position {
  const match = /^(\d+)\/(\d+)$/.exec(checkpoint);
  if (match === null) {
    throw ValidationError.of(
      "from",
      "position",
      `checkpoint "${checkpoint}" is not an EventStoreDB position`,
    );
  }
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function toRecorded(resolved: ResolvedEvent, namespacePrefix: string): RecordedEvent | undefined {
  const event = resolved.event;
  if (event === undefined || !event.isJson || event.type.startsWith("$")) return undefined;
  const stored = event.metadata as unknown as StoredMetadata | undefined;
  if (stored?.certplane === undefined) return undefined;
  const { $correlationId: _c, $causationId: _k, certplane, ...metadata } = stored;
  return {
    id: event.id,
    type: event.type,
    schemaVersion: certplane.schemaVersion,
    data: event.data,
    metadata,
    stream: event.streamId.slice(namespacePrefix.length),
    version: event.revision + BigInt(certplane.commitSize - 1 - certplane.commitIndex),
    position: formatPosition(event.position),
    recordedAt: event.created.toISOString(),
  };
}

/**
 * Event store on EventStoreDB: one ESDB stream per event stream, contiguous revisions as versions,
 * atomic multi-event appends, idempotent retries by event id, catch-up subscriptions on $all.
 * Needs EventStoreDB 23.10 or later: stream reads carry each event's position since 22.x, and
 * subscriptions report catching up (onCaughtUp) since 23.10.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly #client: EventStoreDBClient;
  /** `<namespace>.` or empty. */
  readonly #prefix: string;
  readonly #subscriptions = new SubscriptionSet();
  #closed = false;

  constructor(options: EventStoreDbEventStoreOptions) {
    if (options.namespace !== undefined && !/^[A-Za-z0-9_-]+$/.test(options.namespace)) {
      throw ValidationError.of("namespace", "token", "namespace must match ^[A-Za-z0-9_-]+$");
    }
    this.#prefix = options.namespace === undefined ? "" : `${options.namespace}.`;
    try {
      this.#client = EventStoreDBClient.connectionString(options.connectionString);
    } catch (error) {
      throw translateEsdbError(error, "connecting to EventStoreDB");
    }
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    validateAppend(stream, events, expected);
    this.#assertOpen();
    const attempt = randomUUID();
    const data = events.map((event, index) =>
      jsonEvent({
        id: event.id,
        type: event.type,
        data: event.data as never,
        metadata: {
          ...event.metadata,
          // ESDB's own projections link events through these two names.
          $correlationId: event.metadata.correlationId,
          $causationId: event.metadata.causationId,
          certplane: {
            schemaVersion: event.schemaVersion,
            commitIndex: index,
            commitSize: events.length,
            attempt,
          },
        } satisfies StoredMetadata,
      }),
    );
    try {
      const result = await this.#appendToStream(
        this.#prefix + stream,
        data,
        expected === "any" ? ANY : expected === "no_stream" ? NO_STREAM : expected,
      );
      const version = result.nextExpectedRevision;
      const stored = await this.#readRange(
        this.#prefix + stream,
        version - BigInt(events.length - 1),
        events.length,
      );
      const first = stored[0]?.event?.metadata as unknown as StoredMetadata | undefined;
      return {
        version,
        position: formatPosition(stored[stored.length - 1]?.event?.position ?? result.position),
        duplicate: first?.certplane.attempt !== attempt,
      };
    } catch (error) {
      throw translateAppendError(error, stream, data);
    }
  }

  async read(stream: string): Promise<StreamRead> {
    parseStreamName(stream);
    this.#assertOpen();
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.#client.readStream(this.#prefix + stream, {
        direction: FORWARDS,
        fromRevision: START,
      })) {
        const event = toRecorded(resolved, this.#prefix);
        if (event !== undefined) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { version: undefined, events: [] };
      throw translateEsdbError(error, `reading ${stream}`, stream);
    }
    return { version: events[events.length - 1]?.version, events };
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const resolved = resolveSubscribeOptions(options);
    this.#assertOpen();
    const stored = resolved.name === undefined ? undefined : await this.#loadCheckpoint(resolved.name);
    const start = stored ?? (resolved.from === "start" ? undefined : resolved.from.after);
    return this.#subscriptions.track(
      this.#runSubscription(resolved, start === undefined ? START : parsePosition(start)),
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#subscriptions.stopAll();
    await appendGate.dispose(() => this.#client.dispose());
  }

  #runSubscription(options: ResolvedSubscribeOptions, from: Position | typeof START): Subscription {
    const filter =
      options.categories.length > 0
        ? streamNameFilter({ prefixes: options.categories.map((category) => `${this.#prefix}${category}-`) })
        : streamNameFilter({ regex: `^${escapeRegex(this.#prefix)}(?!\\$|${CHECKPOINT_CATEGORY}-)` });
    return loopSubscription(async (stop) => {
      let after = from;
      const caughtUp = new CaughtUpSignal(() => options.onCaughtUp?.());
      while (!stop.aborted) {
        const subscription = this.#client.subscribeToAll({ fromPosition: after, filter });
        const onStop = () => void subscription.unsubscribe();
        stop.addEventListener("abort", onStop, { once: true });
        caughtUp.follow(subscription);
        try {
          for await (const resolved of subscription) {
            caughtUp.taken();
            const event = toRecorded(resolved, this.#prefix);
            if (event !== undefined && inCategories(event.stream, options.categories)) {
              if (!(await deliverUntilAccepted(event, options, stop))) return;
              after = parsePosition(event.position);
              if (options.name !== undefined) {
                await this.#saveCheckpoint(options.name, event.position).catch((e: unknown) =>
                  options.onError?.(e),
                );
              }
            }
            caughtUp.handled();
          }
        } catch (error) {
          if (stop.aborted) return;
          options.onError?.(translateEsdbError(error, "subscribing to $all"));
          await pause(options.retryDelayMs, stop);
        } finally {
          stop.removeEventListener("abort", onStop);
          await subscription.unsubscribe().catch(() => undefined);
        }
      }
    });
  }

  #appendToStream(
    stream: string,
    events: EventData[],
    expectedRevision: AppendExpectedRevision,
  ): Promise<EsdbAppendResult> {
    return appendGate.append(() => this.#client.appendToStream(stream, events, { expectedRevision }));
  }

  async #readRange(stream: string, fromRevision: bigint, maxCount: number): Promise<ResolvedEvent[]> {
    const events: ResolvedEvent[] = [];
    for await (const resolved of this.#client.readStream(stream, {
      fromRevision,
      maxCount,
      direction: FORWARDS,
    })) {
      events.push(resolved);
    }
    return events;
  }

  async #loadCheckpoint(name: string): Promise<string | undefined> {
    try {
      let position: string | undefined;
      // Read to the end rather than return from inside the loop: a read left before its end never
      // finishes, and the client's dispose() then waits for it forever.
      for await (const resolved of this.#client.readStream(this.#checkpointStream(name), {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        position = (resolved.event?.data as { position?: string } | undefined)?.position;
      }
      return position;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw translateEsdbError(error, `loading checkpoint ${name}`);
    }
  }

  async #saveCheckpoint(name: string, position: string): Promise<void> {
    const stream = this.#checkpointStream(name);
    try {
      await this.#appendToStream(stream, [jsonEvent({ type: "CheckpointSaved", data: { position } })], ANY);
    } catch (error) {
      throw translateEsdbError(error, `saving checkpoint ${name}`, stream);
    }
  }

  #checkpointStream(name: string): string {
    return `${this.#prefix}${CHECKPOINT_CATEGORY}-${name}`;
  }

  #assertOpen(): void {
    if (this.#closed) throw storeClosedError("EventStoreDB");
  }
}

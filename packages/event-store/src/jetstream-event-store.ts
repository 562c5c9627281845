import type { ExpectedVersion, NewEvent, RecordedEvent } from "@certplane/domain";
import { ConcurrencyError, PayloadTooLargeError, TimeoutError, ValidationError } from "@certplane/domain";
import { connectNats, type NatsConnectionSettings } from "@certplane/messaging";
import {
  DeliverPolicy,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { KvCheckpoints } from "./jetstream-checkpoints.ts";
import { decodeCommit, encodeCommit, formatPosition, subjectOf } from "./jetstream-commit.ts";
import { translateNatsError, WRONG_LAST_SEQUENCE, withNatsRetries } from "./jetstream-errors.ts";
import { ensureEventStream } from "./jetstream-stream.ts";
import { startJetStreamSubscription } from "./jetstream-subscription.ts";
import { JetStreamLeaseStore } from "./leases/jetstream-lease-store.ts";
import type { LeaseStore } from "./leases/lease-store.ts";
import type { AppendResult, EventStore, StreamRead, SubscribeOptions, Subscription } from "./port.ts";
import { storeClosedError } from "./store-closed.ts";
import { parseStreamName } from "./stream-name.ts";
import { resolveSubscribeOptions } from "./subscription-options.ts";
import { SubscriptionSet } from "./subscription-set.ts";
import { validateAppend } from "./validate-append.ts";

export interface JetStreamEventStoreOptions {
  /** NATS server URL(s), e.g. `nats://127.0.0.1:4222`. */
  readonly servers: string | readonly string[];
  /** The one JetStream stream holding every event (default `CERTPLANE_EVENTS`). */
  readonly streamName?: string;
  /** Subjects are `<prefix>.<category>.<id>` (default `events`). */
  readonly subjectPrefix?: string;
  /** KV bucket for durable subscriptions' checkpoints (default `certplane_checkpoints`). */
  readonly checkpointBucket?: string;
  /** Connection name shown in the server's monitoring. */
  readonly connectionName?: string;
  /** Credentials, TLS files and inbox prefix; none for a server that needs none. */
  readonly connection?: NatsConnectionSettings;
  /** How long an append waits for the server's ack, and a read for its last message (default 10 s). */
  readonly timeoutMs?: number;
}

/** Names the store uses unless told otherwise; NATS permissions are generated from the same values. */
export const jetStreamDefaults = Object.freeze({
  streamName: "CERTPLANE_EVENTS",
  subjectPrefix: "events",
  checkpointBucket: "certplane_checkpoints",
  leaseBucket: "certplane_leases",
});

const TOKEN = /^[A-Za-z0-9_-]+$/;
// Nats-Msg-Id and Nats-Expected-Last-Subject-Sequence headers plus the protocol line, generously.
const HEADER_ALLOWANCE_BYTES = 256;

function expectationOf(expected: ExpectedVersion): { lastSubjectSequence: number } | undefined {
  if (expected === "any") return undefined;
  // 0 means "this subject has no message yet": the no_stream check.
  return { lastSubjectSequence: expected === "no_stream" ? 0 : Number(expected) };
}

/**
 * Event store on one JetStream stream: one subject per event stream, one message per commit,
 * the stream sequence as version, Nats-Msg-Id (first event id) for idempotent retries.
 */
export class JetStreamEventStore implements EventStore {
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #streamName: string;
  readonly #prefix: string;
  readonly #bucket: string;
  readonly #timeoutMs: number;
  /** The events stream's replicas, which the store's buckets get too. */
  readonly #replicas: number;
  readonly #subscriptions = new SubscriptionSet();
  #checkpoints: Promise<KvCheckpoints> | undefined;
  #closed = false;

  private constructor(
    nc: NatsConnection,
    jsm: JetStreamManager,
    settings: { streamName: string; prefix: string; bucket: string; timeoutMs: number; replicas: number },
  ) {
    this.#nc = nc;
    this.#jsm = jsm;
    this.#js = jetstream(nc, { timeout: settings.timeoutMs });
    this.#streamName = settings.streamName;
    this.#prefix = settings.prefix;
    this.#bucket = settings.bucket;
    this.#timeoutMs = settings.timeoutMs;
    this.#replicas = settings.replicas;
  }

  /** Connects, creates the events stream if it is absent (never recreates it) and returns the store. */
  static async connect(options: JetStreamEventStoreOptions): Promise<JetStreamEventStore> {
    const streamName = options.streamName ?? jetStreamDefaults.streamName;
    const prefix = options.subjectPrefix ?? jetStreamDefaults.subjectPrefix;
    const bucket = options.checkpointBucket ?? jetStreamDefaults.checkpointBucket;
    for (const [field, value] of [
      ["streamName", streamName],
      ["subjectPrefix", prefix],
      ["checkpointBucket", bucket],
    ] as const) {
      if (!TOKEN.test(value)) throw ValidationError.of(field, "token", `${field} must match ${TOKEN.source}`);
    }
    const timeoutMs = options.timeoutMs ?? 10_000;
    const nc = await connectNats(options.connection ?? {}, {
      servers: typeof options.servers === "string" ? options.servers : [...options.servers],
      name: options.connectionName ?? "certplane-event-store",
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    try {
      const jsm = await jetstreamManager(nc, { timeout: timeoutMs });
      const replicas = await ensureEventStream(jsm, streamName, prefix);
      return new JetStreamEventStore(nc, jsm, { streamName, prefix, bucket, timeoutMs, replicas });
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw translateNatsError(error, `opening JetStream stream ${streamName}`);
    }
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    const name = validateAppend(stream, events, expected);
    this.#assertOpen();
    const body = encodeCommit(events);
    const limit = this.#nc.info?.max_payload;
    if (limit !== undefined && body.byteLength + HEADER_ALLOWANCE_BYTES > limit) {
      throw new PayloadTooLargeError(
        `commit to ${stream} is ${body.byteLength} bytes, over the NATS server's max_payload of ${limit} bytes ` +
          `(less ${HEADER_ALLOWANCE_BYTES} bytes for headers)`,
        { field: "events" },
      );
    }
    try {
      const ack = await this.#js.publish(subjectOf(this.#prefix, name), body, {
        // Dedup runs before the expectation check, so a retry after a lost ack gets the original ack.
        msgID: events[0]!.id,
        expect: expectationOf(expected),
        timeout: this.#timeoutMs,
      });
      return {
        version: BigInt(ack.seq),
        position: formatPosition({ seq: ack.seq, index: events.length - 1 }),
        duplicate: ack.duplicate,
      };
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE) {
        throw new ConcurrencyError(stream, `expected ${String(expected)}, server says ${error.message}`, {
          cause: error,
        });
      }
      throw translateNatsError(error, `appending to ${stream}`);
    }
  }

  async read(stream: string): Promise<StreamRead> {
    const subject = subjectOf(this.#prefix, parseStreamName(stream));
    this.#assertOpen();
    // From the stream's leader, not a direct get: on a cluster any replica answers a direct get,
    // and a lagging one would hide the event a handler is reacting to, so it would decide on a
    // state without it (and, finding nothing to do, drop the work).
    const last = await withNatsRetries(`reading the last event of ${stream}`, () =>
      this.#jsm.streams.getMessage(this.#streamName, { last_by_subj: subject }),
    );
    if (last === null) return { version: undefined, events: [] };
    const consumer = await withNatsRetries(`creating a consumer to read ${stream}`, () =>
      this.#js.consumers.get(this.#streamName, {
        filter_subjects: subject,
        deliver_policy: DeliverPolicy.All,
      }),
    );
    const messages = await consumer.consume();
    const timer = setTimeout(
      () => messages.stop(new TimeoutError(`reading ${stream} took longer than ${this.#timeoutMs} ms`)),
      this.#timeoutMs,
    );
    const events: RecordedEvent[] = [];
    try {
      for await (const message of messages) {
        events.push(...decodeCommit(this.#prefix, message));
        if (message.seq >= last.seq) break;
      }
    } catch (error) {
      throw translateNatsError(error, `reading ${stream}`);
    } finally {
      clearTimeout(timer);
      await messages.close().catch(() => undefined);
    }
    return { version: BigInt(last.seq), events };
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const resolved = resolveSubscribeOptions(options);
    this.#assertOpen();
    const subscription = await startJetStreamSubscription(
      {
        js: this.#js,
        jsm: this.#jsm,
        streamName: this.#streamName,
        prefix: this.#prefix,
        checkpoints: () => {
          this.#checkpoints ??= KvCheckpoints.open(this.#js, this.#bucket, this.#replicas);
          return this.#checkpoints;
        },
      },
      resolved,
    );
    return this.#subscriptions.track(subscription);
  }

  /**
   * Leases in a KV bucket on this store's connection, for instances sharing work (leases/): the
   * servers that hold the events decide who holds what, so no second system has to be up.
   */
  leases(bucket: string = jetStreamDefaults.leaseBucket): Promise<LeaseStore> {
    this.#assertOpen();
    if (!TOKEN.test(bucket))
      throw ValidationError.of("leaseBucket", "token", `leaseBucket must match ${TOKEN.source}`);
    return JetStreamLeaseStore.open(this.#js, bucket, this.#replicas);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#subscriptions.stopAll();
    await this.#nc.close().catch(() => undefined);
  }

  #assertOpen(): void {
    if (this.#closed) throw storeClosedError("JetStream");
  }
}

import { DeliverPolicy, type JetStreamClient, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { ensureEventStream } from "../jetstream-stream.ts";

/**
 * The driver doing what the adapter does with none of its work (validation, envelopes, error
 * translation): the baseline the benchmark divides by. Benchmarks only; not part of the store.
 */
export class RawJetStreamBaseline {
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #streamName: string;
  readonly #prefix: string;

  private constructor(nc: NatsConnection, streamName: string, prefix: string) {
    this.#nc = nc;
    this.#js = jetstream(nc);
    this.#streamName = streamName;
    this.#prefix = prefix;
  }

  /** Same stream settings as the adapter's, under its own name and subjects. */
  static async open(url: string, streamName: string, prefix: string): Promise<RawJetStreamBaseline> {
    const nc = await connect({ servers: url });
    await ensureEventStream(await jetstreamManager(nc), streamName, prefix);
    return new RawJetStreamBaseline(nc, streamName, prefix);
  }

  /** Publishes `n` bodies to one subject (named by `tag`), each expecting the previous one's sequence. */
  async appendSequential(tag: string, n: number, body: (i: number) => Uint8Array): Promise<void> {
    let last = 0;
    for (let i = 0; i < n; i++) {
      const ack = await this.#js.publish(`${this.#prefix}.${tag}.one`, body(i), {
        msgID: `${tag}-${i}`,
        expect: { lastSubjectSequence: last },
      });
      last = ack.seq;
    }
  }

  /** Publishes `n` bodies to fresh subjects (expecting none yet), `window` in flight at a time. */
  async appendPipelined(
    tag: string,
    n: number,
    window: number,
    body: (i: number) => Uint8Array,
  ): Promise<void> {
    for (let start = 0; start < n; start += window) {
      const batch: Promise<unknown>[] = [];
      for (let i = start; i < Math.min(n, start + window); i++) {
        batch.push(
          this.#js.publish(`${this.#prefix}.${tag}.a${i}`, body(i), {
            msgID: `${tag}-${i}`,
            expect: { lastSubjectSequence: 0 },
          }),
        );
      }
      await Promise.all(batch);
    }
  }

  /** Replays the whole stream through an ordered consumer, decoding each body; returns the count. */
  async replay(): Promise<number> {
    const consumer = await this.#js.consumers.get(this.#streamName, { deliver_policy: DeliverPolicy.All });
    const messages = await consumer.consume();
    let count = 0;
    for await (const message of messages) {
      count += (message.json() as unknown[]).length;
      if (message.info.pending === 0) break;
    }
    await messages.close();
    return count;
  }

  async close(): Promise<void> {
    await this.#nc.close();
  }
}

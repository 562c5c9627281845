import { ConcurrencyError } from "@certplane/domain";
import type { JetStreamClient } from "@nats-io/jetstream";
import { JetStreamApiError } from "@nats-io/jetstream";
import type { KV } from "@nats-io/kv";
import { translateNatsError, WRONG_LAST_SEQUENCE, withNatsRetries } from "./jetstream-errors.ts";
import { openKvBucket } from "./jetstream-kv-bucket.ts";

/** One durable subscription's checkpoint in a KV key, written by compare-and-set on its revision. */
export interface DurableCheckpoint {
  readonly position: string | undefined;
  save(position: string): Promise<void>;
}

/** The KV bucket holding durable subscriptions' checkpoints; created on first use, never removed. */
export class KvCheckpoints {
  readonly #kv: KV;

  private constructor(kv: KV) {
    this.#kv = kv;
  }

  /** `replicas`: the events stream's, so the bucket survives what the events survive. */
  static async open(js: JetStreamClient, bucket: string, replicas = 1): Promise<KvCheckpoints> {
    const kv = await openKvBucket(js, bucket, "checkpoint", replicas);
    return new KvCheckpoints(kv);
  }

  async load(name: string): Promise<DurableCheckpoint> {
    const entry = await withNatsRetries(`loading checkpoint ${name}`, () => this.#kv.get(name));
    const live = entry !== null && entry.operation === "PUT";
    let revision = entry?.revision ?? 0;
    const kv = this.#kv;
    return {
      position: live ? entry.string() : undefined,
      async save(position) {
        try {
          // CAS: a second instance running the same durable name must not silently move it back.
          revision =
            revision === 0 ? await kv.create(name, position) : await kv.update(name, position, revision);
        } catch (error) {
          if (error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE) {
            throw new ConcurrencyError(`checkpoint-${name}`, "another subscriber moved this checkpoint", {
              cause: error,
            });
          }
          throw translateNatsError(error, `saving checkpoint ${name}`);
        }
      },
    };
  }
}

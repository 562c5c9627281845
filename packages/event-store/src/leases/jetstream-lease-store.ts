// Leases in a JetStream KV bucket, one key per lease, written by compare-and-set on the key's
// revision (KV create/update with the expected last sequence). nats-server 2.9 has no per-key TTL,
// so expiry is the record's own `expiresAt`, judged by whoever reads it; a released lease is
// rewritten as expired rather than deleted, which keeps its revision chain for the next taker.
import { JetStreamApiError, type JetStreamClient } from "@nats-io/jetstream";
import type { KV } from "@nats-io/kv";
import { translateNatsError, WRONG_LAST_SEQUENCE, withNatsRetries } from "../jetstream-errors.ts";
import { openKvBucket } from "../jetstream-kv-bucket.ts";
import { assertLeaseKey, isLive, type LeaseRecord, type LeaseStore } from "./lease-store.ts";

interface StoredLease {
  readonly holder: string;
  readonly expiresAt: number;
}

const lostRace = (error: unknown) => error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE;

function decode(key: string, revision: number, text: string): LeaseRecord | undefined {
  try {
    const stored = JSON.parse(text) as Partial<StoredLease>;
    if (typeof stored.holder !== "string" || typeof stored.expiresAt !== "number") return undefined;
    return { key, holder: stored.holder, expiresAt: stored.expiresAt, revision };
  } catch {
    return undefined;
  }
}

export class JetStreamLeaseStore implements LeaseStore {
  readonly #kv: KV;

  private constructor(kv: KV) {
    this.#kv = kv;
  }

  /** Opens (creating on first use) the bucket; one value per key is all a lease needs. */
  /** `replicas`: the events stream's, so the bucket survives what the events survive. */
  static async open(js: JetStreamClient, bucket: string, replicas = 1): Promise<JetStreamLeaseStore> {
    const kv = await openKvBucket(js, bucket, "lease", replicas);
    return new JetStreamLeaseStore(kv);
  }

  async acquire(key: string, holder: string, ttlMs: number, now: number): Promise<LeaseRecord | undefined> {
    assertLeaseKey(key);
    const current = await this.#read(key);
    if (current !== undefined && current.holder !== holder && isLive(current, now)) return undefined;
    return await this.#write(key, { holder, expiresAt: now + ttlMs }, current?.revision ?? 0);
  }

  async renew(lease: LeaseRecord, ttlMs: number, now: number): Promise<LeaseRecord | undefined> {
    return await this.#write(lease.key, { holder: lease.holder, expiresAt: now + ttlMs }, lease.revision);
  }

  async release(lease: LeaseRecord): Promise<void> {
    await this.#write(lease.key, { holder: lease.holder, expiresAt: 0 }, lease.revision);
  }

  async list(prefix: string): Promise<readonly LeaseRecord[]> {
    const keys = await withNatsRetries(`listing leases ${prefix}`, async () => {
      const found: string[] = [];
      for await (const key of await this.#kv.keys(`${prefix}>`)) found.push(key);
      return found;
    });
    const records = await Promise.all(keys.map((key) => this.#read(key)));
    return records.filter((record): record is LeaseRecord => record !== undefined);
  }

  async #read(key: string): Promise<LeaseRecord | undefined> {
    const entry = await withNatsRetries(`reading lease ${key}`, () => this.#kv.get(key));
    if (entry === null || entry.operation !== "PUT") return undefined;
    // A record that does not decode is taken over as if free: its revision still guards the write.
    return (
      decode(key, entry.revision, entry.string()) ?? {
        key,
        holder: "",
        expiresAt: 0,
        revision: entry.revision,
      }
    );
  }

  /** Writes if the key's revision is still `revision` (0: the key must not exist); undefined when it moved. */
  async #write(key: string, lease: StoredLease, revision: number): Promise<LeaseRecord | undefined> {
    const text = JSON.stringify(lease);
    try {
      const written =
        revision === 0 ? await this.#kv.create(key, text) : await this.#kv.update(key, text, revision);
      return { key, ...lease, revision: written };
    } catch (error) {
      if (lostRace(error)) return undefined;
      throw translateNatsError(error, `writing lease ${key}`);
    }
  }
}

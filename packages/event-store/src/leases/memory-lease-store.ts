import { assertLeaseKey, isLive, type LeaseRecord, type LeaseStore } from "./lease-store.ts";

/** Leases inside one process: the embedded default and tests, where every instance shares the map. */
export class MemoryLeaseStore implements LeaseStore {
  readonly #records = new Map<string, LeaseRecord>();
  #revision = 0;

  async acquire(key: string, holder: string, ttlMs: number, now: number): Promise<LeaseRecord | undefined> {
    assertLeaseKey(key);
    const current = this.#records.get(key);
    if (current !== undefined && current.holder !== holder && isLive(current, now)) return undefined;
    return this.#write(key, holder, now + ttlMs);
  }

  async renew(lease: LeaseRecord, ttlMs: number, now: number): Promise<LeaseRecord | undefined> {
    if (this.#records.get(lease.key)?.revision !== lease.revision) return undefined;
    return this.#write(lease.key, lease.holder, now + ttlMs);
  }

  async release(lease: LeaseRecord): Promise<void> {
    if (this.#records.get(lease.key)?.revision === lease.revision) this.#write(lease.key, lease.holder, 0);
  }

  async list(prefix: string): Promise<readonly LeaseRecord[]> {
    return [...this.#records.values()].filter((record) => record.key.startsWith(prefix));
  }

  #write(key: string, holder: string, expiresAt: number): LeaseRecord {
    const record = { key, holder, expiresAt, revision: ++this.#revision };
    this.#records.set(key, record);
    return record;
  }
}

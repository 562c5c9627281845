// Leases let instances of a service agree who does what without a coordinator: a partition of a
// reactor's work, or an instance's membership of its group. A lease is a record with a holder and an
// expiry, changed only by compare-and-set on its revision, so of two instances racing for one
// record exactly one wins, and a holder that was away too long learns so at its next renewal.
//
// Expiry is read against the caller's clock: instances must agree on the time to within a margin far
// below the lease's lifetime (NTP does), which is what every lease scheme short of fencing needs.

import { ValidationError } from "@certplane/domain";

/** One lease as stored. `revision` is the compare-and-set token of the record's last write. */
export interface LeaseRecord {
  readonly key: string;
  readonly holder: string;
  /** Milliseconds since the epoch; at or before `now` the lease is free for anyone to take. */
  readonly expiresAt: number;
  readonly revision: number;
}

export interface LeaseStore {
  /**
   * The lease on `key` for `holder` until `now + ttlMs`, when the key is free, expired or already
   * this holder's; `undefined` when another holder's lease on it is live or another instance
   * took it in the same moment.
   */
  acquire(key: string, holder: string, ttlMs: number, now: number): Promise<LeaseRecord | undefined>;
  /** Extends a held lease to `now + ttlMs`; `undefined` when it was taken since (its revision moved). */
  renew(lease: LeaseRecord, ttlMs: number, now: number): Promise<LeaseRecord | undefined>;
  /** Gives a held lease up so nobody waits for it to expire; one taken meanwhile is left alone. */
  release(lease: LeaseRecord): Promise<void>;
  /** Every record whose key starts with `prefix` (a run of dot-separated tokens ending in a dot), live or not. */
  list(prefix: string): Promise<readonly LeaseRecord[]>;
}

// Keys become KV subjects: dot-separated tokens of the characters NATS KV allows.
const LEASE_KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export function assertLeaseKey(key: string, field = "key"): void {
  if (!LEASE_KEY.test(key)) {
    throw ValidationError.of(
      field,
      "leaseKey",
      `lease key "${key}" must be dot-separated tokens of A-Z a-z 0-9 _ -`,
    );
  }
}

export const isLive = (lease: LeaseRecord, now: number): boolean => lease.expiresAt > now;

// The challenge limits of solver instances that share the work, held in leases (event-store
// leases/) so that they hold across processes: a lease on the challenge's type and DNS name, so no
// two instances present into one TXT name or token path at once, and one of `max` numbered slot
// leases, so at most `max` challenges are in flight in the whole group. Numbered slots rather than
// a shared counter: a count that an instance dies holding never comes down again, while a slot it
// held runs out within a ttl like every other lease, and taking a slot is the same compare-and-set
// as taking any lease. Every instance must be configured with the same `max`: each counts the
// slots up to its own.
//
// The name is taken before a slot: a challenge waiting for its name holds no slot, and one that
// holds its name while waiting for a slot keeps out only its own name, which it would anyway.
// Waiters try again every `retryMs` on the injected clock, since the lease store tells nobody when
// a lease is released; unlike the in-process slots, waiters are not served oldest first.

import { createHash } from "node:crypto";
import type { LeaseRecord, LeaseStore } from "@certplane/event-store";
import { isLive } from "@certplane/event-store";
import type { Logger, TimerClock } from "@certplane/runtime";
import { DEFAULT_LEASE_TTL_MS } from "@certplane/runtime";
import type { ChallengeLimiter, ChallengePermit, ChallengeToRun } from "./challenge-limiter.ts";

export interface LeasedChallengeSlotsOptions {
  readonly leases: LeaseStore;
  /** This instance; with the challenge's stream it names the holder of the challenge's leases. */
  readonly instance: string;
  /** At most this many challenges in flight across all instances. */
  readonly max: number;
  readonly clock: TimerClock;
  readonly logger: Logger;
  readonly ttlMs?: number;
  readonly retryMs?: number;
}

const DEFAULT_RETRY_MS = 1_000;

/** Lease keys are dot-separated tokens of A-Z a-z 0-9 _ -, which a DNS name (`*.`) is not. */
function challengeNameLeaseKey(challenge: Pick<ChallengeToRun, "type" | "dnsName">): string {
  const hash = createHash("sha256").update(challenge.dnsName).digest("base64url");
  return `acme.challenges.${challenge.type}.${hash}`;
}

const slotLeaseKey = (index: number): string => `acme.slots.${index}`;

export class LeasedChallengeSlots implements ChallengeLimiter {
  readonly #leases: LeaseStore;
  readonly #instance: string;
  readonly #max: number;
  readonly #clock: TimerClock;
  readonly #logger: Logger;
  readonly #ttlMs: number;
  readonly #retryMs: number;

  constructor(options: LeasedChallengeSlotsOptions) {
    this.#leases = options.leases;
    this.#instance = options.instance;
    this.#max = options.max;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    this.#retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  }

  async acquire(challenge: ChallengeToRun, signal: AbortSignal): Promise<ChallengePermit | undefined> {
    // Per challenge, not per instance: a lease is free to its own holder, and two challenges of
    // one instance must not share a slot.
    const holder = `${this.#instance}/${challenge.stream}`;
    const nameKey = challengeNameLeaseKey(challenge);
    let name: LeaseRecord | undefined;
    while (!signal.aborted) {
      try {
        const now = this.#clock.now().getTime();
        // Taking it again as its holder extends it, so a long wait for a slot keeps the name.
        name = await this.#leases.acquire(nameKey, holder, this.#ttlMs, now);
        const slot = name && (await this.#freeSlot(holder, now));
        if (name && slot) return this.#permit([name, slot]);
      } catch (error) {
        this.#logger.warn("challenge leases unreachable; trying again", {
          challenge: challenge.stream,
          error,
        });
      }
      await this.#clock.sleepUntil(new Date(this.#clock.now().getTime() + this.#retryMs), signal);
    }
    if (name) await this.#release(name);
    return undefined;
  }

  async #freeSlot(holder: string, now: number): Promise<LeaseRecord | undefined> {
    for (let index = 0; index < this.#max; index++) {
      const slot = await this.#leases.acquire(slotLeaseKey(index), holder, this.#ttlMs, now);
      if (slot) return slot;
    }
    return undefined;
  }

  /** Renews the leases every third of their ttl, as the partition leases are, until released or lost. */
  #permit(taken: readonly LeaseRecord[]): ChallengePermit {
    const held = [...taken];
    const lost = new AbortController();
    const released = new AbortController();
    const renewing = (async () => {
      while (!released.signal.aborted) {
        const due = new Date(this.#clock.now().getTime() + this.#ttlMs / 3);
        await this.#clock.sleepUntil(due, released.signal);
        if (released.signal.aborted) return;
        const now = this.#clock.now().getTime();
        for (const [i, lease] of held.entries()) {
          const renewed = await this.#leases.renew(lease, this.#ttlMs, now).catch((error: unknown) => {
            // Out of reach: the lease is still ours while our record of it is live.
            if (isLive(lease, now)) return lease;
            this.#logger.warn(`challenge lease ${lease.key} ran out while the lease store was unreachable`, {
              error,
            });
            return undefined;
          });
          if (renewed === undefined) {
            lost.abort();
            return;
          }
          held[i] = renewed;
        }
      }
    })();
    let releasing: Promise<void> | undefined;
    return {
      lost: lost.signal,
      release: () =>
        (releasing ??= (async () => {
          released.abort();
          await renewing;
          await Promise.all(held.map((lease) => this.#release(lease)));
        })()),
    };
  }

  /** One not released runs out within a ttl; one taken meanwhile is left alone (lease-store.ts). */
  async #release(lease: LeaseRecord): Promise<void> {
    await this.#leases
      .release(lease)
      .catch((error: unknown) =>
        this.#logger.warn(`challenge lease ${lease.key} not released; it runs out on its own`, { error }),
      );
  }
}

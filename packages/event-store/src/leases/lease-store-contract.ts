// The behaviour every LeaseStore adapter must show; run it from one spec per adapter.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import { ValidationError } from "@certplane/domain";
import type { LeaseStore } from "./lease-store.ts";

export interface LeaseStoreContractOptions {
  readonly adapter: string;
  /** A store over storage every call of this test shares: two calls are two instances. */
  readonly open: () => Promise<LeaseStore>;
}

const TTL = 10_000;
const T0 = Date.parse("2026-01-01T00:00:00Z");
const uniqueKey = () => `contract.${randomUUID()}.p0`;

export function leaseStoreContract(options: LeaseStoreContractOptions): void {
  describe(`LeaseStore contract: ${options.adapter}`, () => {
    test("a live lease is its holder's alone; once expired anyone may take it, and the old holder cannot renew", async () => {
      const [a, b] = [await options.open(), await options.open()];
      const key = uniqueKey();
      const held = await a.acquire(key, "a", TTL, T0);
      assert.equal(held?.holder, "a");
      assert.equal(held?.expiresAt, T0 + TTL);
      assert.equal(await b.acquire(key, "b", TTL, T0 + TTL - 1), undefined, "still a's");
      const again = await a.acquire(key, "a", TTL, T0 + 1);
      assert.equal(again?.holder, "a", "its holder may take it again");
      const taken = await b.acquire(key, "b", TTL, T0 + 1 + TTL);
      assert.equal(taken?.holder, "b", "expired: free for b");
      assert.equal(await a.renew(again!, TTL, T0 + 1 + TTL), undefined, "a learns it lost the lease");
      const renewed = await b.renew(taken!, TTL, T0 + 2 * TTL);
      assert.equal(renewed?.expiresAt, T0 + 3 * TTL);
    });

    test("a released lease is free at once, and releasing a lost lease leaves the new holder alone", async () => {
      const [a, b] = [await options.open(), await options.open()];
      const key = uniqueKey();
      const held = (await a.acquire(key, "a", TTL, T0))!;
      await a.release(held);
      const taken = await b.acquire(key, "b", TTL, T0 + 1);
      assert.equal(taken?.holder, "b");
      await a.release(held);
      assert.equal(await a.acquire(key, "a", TTL, T0 + 2), undefined, "b still holds it");
    });

    test("of eight instances racing for one free lease, exactly one wins", async () => {
      const stores = await Promise.all(Array.from({ length: 8 }, () => options.open()));
      const key = uniqueKey();
      const results = await Promise.all(stores.map((store, i) => store.acquire(key, `i${i}`, TTL, T0)));
      assert.equal(results.filter((r) => r !== undefined).length, 1);
    });

    test("lists the records under a prefix, live and expired, and nothing else", async () => {
      const store = await options.open();
      const group = `contract.${randomUUID()}`;
      await store.acquire(`${group}.p0`, "a", TTL, T0);
      const expired = (await store.acquire(`${group}.p1`, "b", TTL, T0))!;
      await store.release(expired);
      await store.acquire(`${group}x.p0`, "c", TTL, T0);
      const listed = (await store.list(`${group}.`)).map(({ key, holder, expiresAt }) => ({
        key,
        holder,
        expiresAt,
      }));
      assert.deepEqual(
        listed.sort((x, y) => x.key.localeCompare(y.key)),
        [
          { key: `${group}.p0`, holder: "a", expiresAt: T0 + TTL },
          { key: `${group}.p1`, holder: "b", expiresAt: 0 },
        ],
      );
    });

    test("refuses a key that cannot be stored, naming it", async () => {
      const store = await options.open();
      await assert.rejects(
        store.acquire("has space", "a", TTL, T0),
        (error) => error instanceof ValidationError && error.issues[0]?.rule === "leaseKey",
      );
    });
  });
}

// The behaviour every ChallengeLimiter must show; run it from one spec per implementation.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ChallengeLimiter, ChallengePermit, ChallengeToRun } from "./challenge-limiter.ts";

export interface ChallengeLimiterContractOptions {
  readonly implementation: string;
  /** A limiter allowing `max` challenges in flight, and how to let its waiters try again. */
  readonly open: (max: number) => Promise<{
    readonly limiter: ChallengeLimiter;
    /** Lets every waiter that can be served now be served (for polling waiters: one retry passes). */
    turn(): Promise<void>;
    close(): Promise<void>;
  }>;
}

let streams = 0;
const challenge = (dnsName: string, type: ChallengeToRun["type"] = "HTTP-01"): ChallengeToRun => ({
  stream: `challenge-apps_c${++streams}`,
  type,
  dnsName,
});

/** A pending acquire whose outcome a test can look at between turns. */
function watch(pending: Promise<ChallengePermit | undefined>) {
  const seen: { settled: boolean; permit?: ChallengePermit } = { settled: false };
  void pending.then((permit) => {
    seen.settled = true;
    if (permit) seen.permit = permit;
  });
  return seen;
}

export function challengeLimiterContract(options: ChallengeLimiterContractOptions): void {
  describe(`ChallengeLimiter contract: ${options.implementation}`, () => {
    const open = async (max: number) => {
      const opened = await options.open(max);
      // Ends the waits a test leaves behind.
      const waits = new AbortController();
      return {
        ...opened,
        take: (c: ChallengeToRun) => watch(opened.limiter.acquire(c, waits.signal)),
        close: async () => {
          waits.abort();
          await opened.close();
        },
      };
    };

    test("grants at most max at once, and a waiter gets the place released", async () => {
      const { take, turn, close } = await open(2);
      const [a, b, c] = [take(challenge("a.test")), take(challenge("b.test")), take(challenge("c.test"))];
      await turn();
      assert.ok(a.permit && b.permit, "two places");
      assert.equal(c.settled, false, "the third waits");
      await turn();
      assert.equal(c.settled, false, "and keeps waiting while both are held");
      await a.permit.release();
      await turn();
      assert.ok(c.permit, "the released place goes to the waiter");
      await Promise.all([b.permit.release(), c.permit.release()]);
      await close();
    });

    test("never grants one type and DNS name twice at once, while other names and the other type run", async () => {
      const { take, turn, close } = await open(10);
      const first = take(challenge("same.test"));
      const second = take(challenge("same.test"));
      const dns = take(challenge("same.test", "DNS-01"));
      const other = take(challenge("other.test"));
      await turn();
      assert.ok(first.permit && dns.permit && other.permit);
      assert.equal(second.settled, false, "the same name and type waits");
      await first.permit.release();
      await turn();
      assert.ok(second.permit, "and runs once the first is done");
      assert.equal(second.permit.lost.aborted, false);
      await Promise.all([second.permit.release(), dns.permit.release(), other.permit.release()]);
      await close();
    });

    test("an acquire aborted before its turn yields nothing and holds nothing", async () => {
      const { limiter, take, turn, close } = await open(1);
      const holder = take(challenge("held.test"));
      await turn();
      const aborted = new AbortController();
      const sameName = limiter.acquire(challenge("held.test"), aborted.signal);
      const noPlace = limiter.acquire(challenge("other.test"), aborted.signal);
      await turn();
      aborted.abort();
      await turn();
      assert.equal(await sameName, undefined);
      assert.equal(await noPlace, undefined);
      assert.equal(
        await limiter.acquire(challenge("late.test"), AbortSignal.abort()),
        undefined,
        "aborted already",
      );
      await holder.permit?.release();
      // The one that waited for a place alone had its name already: it must have given that back.
      const next = take(challenge("other.test"));
      await turn();
      assert.ok(next.permit, "the aborted ones left the name and the place free");
      await next.permit.release();
      await close();
    });

    test("a permit is kept as long as it is held, however many turns pass", async () => {
      const { take, turn, close } = await open(5);
      const held = take(challenge("long.test"));
      await turn();
      const waiter = take(challenge("long.test"));
      for (let i = 0; i < 60; i++) await turn();
      assert.equal(held.permit?.lost.aborted, false);
      assert.equal(waiter.settled, false, "the name is still held");
      await held.permit?.release();
      await turn();
      assert.ok(waiter.permit);
      await waiter.permit.release();
      await close();
    });
  });
}

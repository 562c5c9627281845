import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backoffDelayMs, defaultBackoffPolicy, nextAttemptTime } from "./backoff.ts";

const HOUR = 3_600_000;

describe("issuance backoff", () => {
  it("doubles from 1h per failure and caps at 32h", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 2000].map((n) => backoffDelayMs(n, defaultBackoffPolicy) / HOUR);
    assert.deepEqual(delays, [1, 2, 4, 8, 16, 32, 32, 32]);
  });

  it("uses the configured bounds and treats zero attempts as the first", () => {
    const policy = { minMs: 60_000, maxMs: 300_000 };
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((n) => backoffDelayMs(n, policy)),
      [60_000, 60_000, 120_000, 240_000, 300_000],
    );
  });

  it("is disabled by a non-positive minimum", () => {
    assert.equal(backoffDelayMs(5, { minMs: 0, maxMs: HOUR }), 0);
  });

  it("counts the wait from the last failure", () => {
    const at = nextAttemptTime(
      { attempts: 3, lastFailureTime: "2026-01-01T10:00:00.000Z" },
      defaultBackoffPolicy,
    );
    assert.equal(at.toISOString(), "2026-01-01T14:00:00.000Z");
  });
});

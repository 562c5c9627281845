import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reconnectDelayMs } from "./reconnect-backoff.ts";

const backoff = { initialDelayMs: 250, maxDelayMs: 10_000 };

describe("reconnect backoff", () => {
  it("retries a fresh outage after the initial delay", () => {
    assert.equal(reconnectDelayMs(0, backoff, 0), 250);
  });

  it("waits longer as the outage goes on", () => {
    assert.equal(reconnectDelayMs(4_000, backoff, 0), 2_000);
  });

  it("never waits longer than the maximum plus jitter", () => {
    assert.equal(reconnectDelayMs(3_600_000, backoff, 0), 10_000);
    assert.equal(reconnectDelayMs(3_600_000, backoff, 0.5), 10_125);
  });
});

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { pollUntil, pollWhileRunning } from "./poll-until.ts";

// A deadline no passing test comes near: these tests end on the probe's answer, never on the clock.
const NEVER = 60_000;

describe("pollUntil", () => {
  it("resolves with the first truthy value, after the falsy answers before it", async () => {
    const answers = [undefined, false, { id: "found" }];
    let attempts = 0;
    const value = await pollUntil(() => answers[attempts++], { timeoutMs: NEVER, intervalMs: 1 });
    assert.deepEqual(value, { id: "found" });
    assert.equal(attempts, 3);
  });

  it("retries a probe that throws until it answers", async () => {
    let attempts = 0;
    const value = await pollUntil(
      async () => {
        if (++attempts < 3) throw new Error("not there yet");
        return "there";
      },
      { timeoutMs: NEVER, intervalMs: 1 },
    );
    assert.equal(value, "there");
    assert.equal(attempts, 3);
  });

  it("times out with a message naming what it waited for", async () => {
    await assert.rejects(
      pollUntil(() => false, { timeoutMs: 1, intervalMs: 1, what: "the answer" }),
      {
        message: "timed out after 1 ms waiting for the answer",
      },
    );
  });

  it("times out with the probe's last error as message detail and cause", async () => {
    const last = new Error("connection refused");
    await assert.rejects(
      pollUntil(
        () => {
          throw last;
        },
        { timeoutMs: 1, intervalMs: 1, what: "the server" },
      ),
      (error: Error) => {
        assert.equal(
          error.message,
          "timed out after 1 ms waiting for the server (last error: connection refused)",
        );
        assert.equal(error.cause, last);
        return true;
      },
    );
  });

  it("stops at once with the signal's reason when aborted", async () => {
    const gaveUp = new AbortController();
    const reason = new Error("it can no longer happen");
    let attempts = 0;
    const poll = pollUntil(
      () => {
        if (++attempts === 2) gaveUp.abort(reason);
        return false;
      },
      { timeoutMs: NEVER, intervalMs: 1, signal: gaveUp.signal },
    );
    await assert.rejects(poll, reason);
    assert.equal(attempts, 2);
  });
});

describe("pollWhileRunning", () => {
  it("fails with the exit code once the child has exited, before the deadline", async () => {
    const child = spawn(process.execPath, ["-e", "process.exit(3)"], { stdio: "ignore" });
    await assert.rejects(
      pollWhileRunning(child, "the server", async () => false, NEVER),
      {
        message: "the server exited with code 3",
      },
    );
  });
});

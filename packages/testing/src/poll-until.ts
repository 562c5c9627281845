// Tests wait for asynchronous work by polling, never by sleeping a fixed time: a poll passes as soon
// as the work is done and fails only at its deadline, so it is both fast and free of timing guesses.
import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

export interface PollUntilOptions {
  /** How long to keep trying, counted from the first attempt (default 5 s, ample for in-process work). */
  readonly timeoutMs?: number;
  /** The pause between attempts (default 5 ms, so in-memory conditions pass almost at once). */
  readonly intervalMs?: number;
  /** What is awaited, for the timeout message: "the subscription to catch up". */
  readonly what?: string;
  /** Ends the poll at once with the signal's reason, for a condition that can no longer come true. */
  readonly signal?: AbortSignal;
}

/**
 * Calls `probe` until it returns a truthy value, and resolves with that value. Any falsy answer
 * (`undefined`, `false`) means "not yet". A probe that throws is retried as well, because what it
 * reads often does not exist yet; the last error it threw is kept for the timeout.
 *
 * At the deadline it rejects with an error naming `what`, whose message repeats the last thrown
 * error's and whose `cause` is that error.
 */
export async function pollUntil<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: PollUntilOptions = {},
): Promise<T> {
  const { timeoutMs = 5_000, intervalMs = 5, what = "the condition", signal } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    signal?.throwIfAborted();
    if (Date.now() > deadline) throw timedOut(what, timeoutMs, lastError);
    // An abort rejects the sleep; the check at the top of the loop then throws the signal's reason.
    await sleep(intervalMs, undefined, { signal }).catch(() => {});
  }
}

function timedOut(what: string, timeoutMs: number, lastError: unknown): Error {
  const message = `timed out after ${timeoutMs} ms waiting for ${what}`;
  if (lastError === undefined) return new Error(message);
  const detail = lastError instanceof Error ? lastError.message : String(lastError);
  return new Error(`${message} (last error: ${detail})`, { cause: lastError });
}

/**
 * Polls `ready` until it holds while `child` runs. A child that exits first fails the poll at once:
 * a crashed server never becomes ready, and its exit code says more than a timeout would.
 */
export async function pollWhileRunning(
  child: ChildProcess,
  name: string,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const exited = new AbortController();
  await pollUntil(
    () => {
      if (child.exitCode === null && child.signalCode === null) return ready();
      exited.abort(new Error(`${name} exited with ${child.signalCode ?? `code ${child.exitCode}`}`));
      return false;
    },
    { what: `${name} to become ready`, timeoutMs, intervalMs: 25, signal: exited.signal },
  );
}

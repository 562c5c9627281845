import type { TimerClock } from "./timer-clock.ts";

// setTimeout holds at most 2^31−1 ms (~24.8 days); longer waits re-arm in steps.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const systemTimerClock: TimerClock = {
  now: () => new Date(),
  sleepUntil(at, signal) {
    return new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      let timer: NodeJS.Timeout;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const arm = () => {
        const remaining = at.getTime() - Date.now();
        if (remaining <= 0) return done();
        timer = setTimeout(arm, Math.min(remaining, MAX_TIMEOUT_MS));
      };
      signal.addEventListener("abort", done, { once: true });
      arm();
    });
  },
};

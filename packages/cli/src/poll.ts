import type { CliIo } from "./cli-io.ts";

const DEFAULT_POLL_INTERVAL_MS = 500;

/** How the commands that poll (`wait`, `apply --wait`, `check api --wait`, `get -w`) wait between reads. */
export function pollSleep(io: CliIo): {
  readonly sleep: (ms: number) => Promise<void>;
  readonly interval: number;
} {
  return {
    sleep: io.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    interval: io.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
  };
}

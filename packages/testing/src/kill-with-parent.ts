import type { ChildProcess } from "node:child_process";

const children = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const child of children) child.kill("SIGKILL");
}

/**
 * Servers a test starts must not outlive it, even when the test process ends without running its
 * `after` hooks (a runner timeout sends SIGTERM; a crash exits). Normal teardown still stops them first.
 */
export function killWithParent(child: ChildProcess): void {
  children.add(child);
  child.once("exit", () => children.delete(child));
  if (hooked) return;
  hooked = true;
  process.once("exit", killAll);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      killAll();
      // The listener is gone now, so this ends the process the way the signal would have.
      process.kill(process.pid, signal);
    });
  }
}

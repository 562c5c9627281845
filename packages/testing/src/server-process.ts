// What the nats-server and Prometheus harnesses share: start a server binary from PATH, keep the tail
// of its stderr for failure messages, and wait until it serves, or say how to install it.
import { type ChildProcess, spawn } from "node:child_process";
import { killWithParent } from "./kill-with-parent.ts";
import { pollWhileRunning } from "./poll-until.ts";

/**
 * Spawns `binary` with `args` and resolves once `ready` holds. A binary that cannot be spawned fails
 * with `install` as the remedy (`apt-get install …`); one that exits or never becomes ready fails
 * with the tail of its stderr, and is killed.
 */
export async function startServerProcess(options: {
  readonly binary: string;
  readonly args: readonly string[];
  /** The server's environment (what its config's `$VARIABLES` resolve from); this process's otherwise. */
  readonly env?: NodeJS.ProcessEnv;
  readonly name: string;
  readonly install: string;
  /** Whether `child`, the spawned server, serves yet. */
  readonly ready: (child: ChildProcess) => Promise<boolean>;
  readonly timeoutMs: number;
}): Promise<ChildProcess> {
  const { binary } = options;
  const proc = spawn(binary, options.args, {
    stdio: ["ignore", "ignore", "pipe"],
    ...(options.env ? { env: options.env } : {}),
  });
  killWithParent(proc);
  let stderr = "";
  proc.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const spawnError = new Promise<never>((_, reject) =>
    proc.once("error", (error) =>
      reject(new Error(`cannot start ${binary}: ${error.message}; install it with ${options.install}`)),
    ),
  );
  try {
    await Promise.race([
      pollWhileRunning(proc, options.name, () => options.ready(proc), options.timeoutMs),
      spawnError,
    ]);
  } catch (error) {
    proc.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return proc;
}

/**
 * Runs `start` up to three times: another process may bind the free port a server was given before
 * the server does, and the server then exits; `start` takes another port on a later `attempt`.
 */
export async function retryWhenTheServerExits(start: (attempt: number) => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await start(attempt);
      return;
    } catch (error) {
      if (attempt === 3 || !/exited/.test((error as Error).message)) throw error;
    }
  }
}

import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { killWithParent, pollUntil } from "@certplane/testing";

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export interface ServiceProcess {
  readonly name: string;
  /** The last lines the process wrote, for failure messages. */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the process again with the same environment (after kill). */
  restart(): void;
}

/** Starts `services/<name>/src/main.ts` as its own process, the way the distributed mode runs it. */
export function startServiceProcess(name: string, env: NodeJS.ProcessEnv): ServiceProcess {
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  const spawnChild = () => {
    const started = spawn(process.execPath, ["--import", "tsx", `services/${name}/src/main.ts`], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    killWithParent(started);
    started.stdout?.on("data", keep);
    started.stderr?.on("data", keep);
    return started;
  };
  let child: ChildProcess = spawnChild();
  return {
    name,
    output: () => output,
    restart() {
      if (child.exitCode === null && child.signalCode === null) throw new Error(`${name} is still running`);
      child = spawnChild();
    },
    async kill(signal = "SIGTERM") {
      const current = child;
      if (current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise((resolve) => current.once("exit", resolve));
      current.kill(signal);
      const timer = setTimeout(() => current.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * pollUntil paced for separate processes talking over the network. A timeout also carries
 * `onTimeout()`, the processes' recent logs, since they usually say why the state never came.
 */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; onTimeout?: () => string } = {},
): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 100, onTimeout } = options;
  try {
    return await pollUntil(check, { what, timeoutMs, intervalMs });
  } catch (error) {
    if (!onTimeout) throw error;
    throw new Error(`${(error as Error).message}\n${onTimeout()}`, { cause: error });
  }
}

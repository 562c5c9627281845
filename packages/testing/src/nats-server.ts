import type { ChildProcess } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { retryWhenTheServerExits, startServerProcess } from "./server-process.ts";

export interface NatsServerHandle {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** Kills the server (SIGKILL unless graceful) and keeps its store, so `restart` finds the data again. */
  stop(options?: { graceful?: boolean }): Promise<void>;
  /** Starts the server again on the same port and store. */
  restart(): Promise<void>;
  /** Stops the server and removes its store. */
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") return reject(new Error("no port"));
      server.close(() => resolve(address.port));
    });
  });
}

/** Whether the nats-server with `pid` wrote its ports file into `dir`, which it does once it listens. */
export async function portsFileWritten(dir: string, pid: number | undefined): Promise<boolean> {
  if (pid === undefined) return false;
  return (await readdir(dir)).some((name) => name.endsWith(`_${pid}.ports`));
}

/** Whether something accepts TCP connections on the loopback `port`. */
export function listening(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = netConnect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Starts a private nats-server (from PATH; Debian package `nats-server`) with JetStream on a free
 * loopback port and its own store directory, so each test suite is isolated and may kill it.
 */
export async function startNatsServer(
  options: {
    binary?: string;
    /** Extra configuration lines (an `authorization` block with users and permissions). */
    config?: readonly string[];
    /** Added to the server's environment: the values of `$VARIABLES` in `config` (passwords). */
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<NatsServerHandle> {
  const binary = options.binary ?? process.env.NATS_SERVER_BIN ?? "nats-server";
  const dir = await mkdtemp(join(tmpdir(), "certplane-nats-"));
  const storeDir = join(dir, "jetstream");
  let port = await freePort();
  const configPath = join(dir, "nats.conf");
  const writeConfig = () =>
    writeFile(
      configPath,
      [
        `listen: 127.0.0.1:${port}`,
        // nats-server writes <name>_<pid>.ports here once it listens: proof that this process, not
        // another test's server that took the same free port first, is the one answering.
        `ports_file_dir: "${dir}"`,
        "max_payload: 8MB",
        `jetstream { store_dir: "${storeDir}", max_memory_store: 256MB, max_file_store: 2GB }`,
        ...(options.config ?? []),
        "",
      ].join("\n"),
    );
  await writeConfig();
  let child: ChildProcess | undefined;

  const start = async () => {
    child = await startServerProcess({
      binary,
      args: ["-c", configPath],
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
      name: `nats-server on port ${port}`,
      install: "apt-get install nats-server",
      ready: async (proc) => (await portsFileWritten(dir, proc.pid)) && (await listening(port)),
      timeoutMs: 10_000,
    });
  };

  const stop = async ({ graceful = false } = {}) => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill(graceful ? "SIGTERM" : "SIGKILL");
    await exited;
  };

  await retryWhenTheServerExits(async (attempt) => {
    if (attempt > 1) {
      port = await freePort();
      await writeConfig();
    }
    await start();
  });
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    stop,
    restart: start,
    async dispose() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// Several nats-servers started from configuration files the caller wrote (a cluster's nodes), each
// killable and restartable on its own, for tests of replication and of one node going away.
import type { ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { listening, portsFileWritten } from "./nats-server.ts";
import { startServerProcess } from "./server-process.ts";

export interface NatsClusterNode {
  /** The node's server_name, by which stop and restart find it. */
  readonly name: string;
  readonly configPath: string;
  /** The client port its configuration listens on (loopback). */
  readonly clientPort: number;
}

export interface NatsClusterHandle {
  /** `nats://127.0.0.1:<port>` of every node, in the order given. */
  readonly urls: readonly string[];
  /** Kills one node (SIGKILL unless graceful); its store stays for restart. */
  stop(name: string, options?: { graceful?: boolean }): Promise<void>;
  restart(name: string): Promise<void>;
  /** Stops every node; the caller removes the directories it wrote. */
  dispose(): Promise<void>;
}

/**
 * Starts every node from its own file. A small wrapper next to each file adds `ports_file_dir`, so
 * readiness is proven by that very process (a ports file named after its pid), not by whatever else
 * holds the port. `env` holds the values of the files' `$VARIABLES` (passwords).
 */
export async function startNatsCluster(options: {
  readonly nodes: readonly NatsClusterNode[];
  readonly env?: NodeJS.ProcessEnv;
  readonly binary?: string;
}): Promise<NatsClusterHandle> {
  const binary = options.binary ?? process.env.NATS_SERVER_BIN ?? "nats-server";
  const running = new Map<string, ChildProcess>();
  const wrappers = new Map<string, string>();
  for (const node of options.nodes) {
    const dir = dirname(node.configPath);
    const wrapper = join(dir, `${node.name}.harness.conf`);
    await writeFile(wrapper, `include "./${basename(node.configPath)}"\nports_file_dir: "${dir}"\n`);
    wrappers.set(node.name, wrapper);
  }
  const nodeNamed = (name: string) => {
    const node = options.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no cluster node ${name}`);
    return node;
  };
  const start = async (node: NatsClusterNode) => {
    const proc = await startServerProcess({
      binary,
      args: ["-c", wrappers.get(node.name) as string],
      env: { ...process.env, ...options.env },
      name: `nats-server ${node.name} on port ${node.clientPort}`,
      install: "apt-get install nats-server",
      ready: async (child) =>
        (await portsFileWritten(dirname(node.configPath), child.pid)) && (await listening(node.clientPort)),
      timeoutMs: 15_000,
    });
    running.set(node.name, proc);
  };
  const stop = async (name: string, { graceful = false } = {}) => {
    const proc = running.get(name);
    running.delete(name);
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill(graceful ? "SIGTERM" : "SIGKILL");
    await exited;
  };
  try {
    await Promise.all(options.nodes.map(start));
  } catch (error) {
    await Promise.all([...running.keys()].map((name) => stop(name)));
    throw error;
  }
  return {
    urls: options.nodes.map((node) => `nats://127.0.0.1:${node.clientPort}`),
    stop,
    restart: (name) => start(nodeNamed(name)),
    dispose: async () => void (await Promise.all([...running.keys()].map((name) => stop(name)))),
  };
}

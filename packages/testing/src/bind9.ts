import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Resolver } from "node:dns/promises";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killWithParent } from "./kill-with-parent.ts";
import { freePort } from "./nats-server.ts";

export type Bind9TsigAlgorithm = "hmac-md5" | "hmac-sha1" | "hmac-sha256" | "hmac-sha512";
export type Bind9QueryType = "A" | "NS" | "SOA" | "TXT";

export interface Bind9Options {
  /** Zones served as primary, e.g. `["example.test"]`; each gets SOA, NS, `@ A` and `* A` 127.0.0.1. */
  readonly zones: readonly string[];
  /** The key allowed to update TXT records anywhere in the zones; a random secret unless given. */
  readonly tsig?: {
    readonly name?: string;
    readonly algorithm?: Bind9TsigAlgorithm;
    readonly secret?: string;
  };
  readonly binary?: string;
}

export interface Bind9Handle {
  readonly port: number;
  /** `127.0.0.1:<port>`, for UDP and TCP alike. */
  readonly address: string;
  readonly tsig: { readonly name: string; readonly algorithm: Bind9TsigAlgorithm; readonly secret: string };
  /** Asks this server directly: TXT values joined per record, A addresses, NS names, SOA primary name. */
  dig(name: string, type: Bind9QueryType): Promise<string[]>;
  stop(): Promise<void>;
  /** Stops the server and removes its directory (zone files and journals). */
  dispose(): Promise<void>;
}

function namedConf(dir: string, port: number, zones: readonly string[], tsig: Bind9Handle["tsig"]): string {
  const zoneBlocks = zones.map(
    (zone) =>
      `zone "${zone}" { type primary; file "${join(dir, `db.${zone}`)}";\n` +
      `  update-policy { grant ${tsig.name}. zonesub TXT; }; };`,
  );
  return [
    `key "${tsig.name}" { algorithm ${tsig.algorithm}; secret "${tsig.secret}"; };`,
    `options { directory "${dir}"; pid-file "${join(dir, "named.pid")}";`,
    `  session-keyfile "${join(dir, "session.key")}"; listen-on port ${port} { 127.0.0.1; }; listen-on-v6 { none; };`,
    "  recursion no; dnssec-validation no; notify no; minimal-responses yes; };",
    // No rndc listener: it would take the fixed port 953 and collide between parallel suites.
    "controls { };",
    ...zoneBlocks,
    "",
  ].join("\n");
}

function zoneFile(zone: string): string {
  return [
    "$TTL 60",
    `@   IN SOA ns1.${zone}. hostmaster.${zone}. ( 1 60 60 3600 1 )`,
    `    IN NS  ns1.${zone}.`,
    "ns1 IN A 127.0.0.1",
    "@   IN A 127.0.0.1",
    "*   IN A 127.0.0.1",
    "",
  ].join("\n");
}

async function query(address: string, name: string, type: Bind9QueryType): Promise<string[]> {
  // A fresh resolver per question: c-ares caches answers per channel, and tests ask again after updates.
  const resolver = new Resolver({ timeout: 1000, tries: 2 });
  resolver.setServers([address]);
  try {
    switch (type) {
      case "A":
        return await resolver.resolve4(name);
      case "NS":
        return await resolver.resolveNs(name);
      case "SOA":
        return [(await resolver.resolveSoa(name)).nsname];
      case "TXT":
        return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(""));
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENODATA" || code === "ENOTFOUND") return [];
    throw error;
  }
}

async function waitUntilAnswering(
  address: string,
  zone: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`named exited with code ${child.exitCode}\n${output()}`);
    const answered = await query(address, zone, "SOA").then(
      (names) => names.length > 0,
      () => false,
    );
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`named did not answer an SOA query for ${zone} at ${address} within 10 s\n${output()}`);
}

/**
 * Starts a private bind9 (`named -g`, Debian package `bind9`) on a free loopback port with fresh zone files,
 * so each suite sees a clean zone; a key may add and delete TXT records (update-policy zonesub TXT).
 */
export async function startBind9(options: Bind9Options): Promise<Bind9Handle> {
  const binary = options.binary ?? process.env.NAMED_BIN ?? "/usr/sbin/named";
  const tsig = {
    name: options.tsig?.name ?? "acme-key",
    algorithm: options.tsig?.algorithm ?? "hmac-sha256",
    secret: options.tsig?.secret ?? randomBytes(32).toString("base64"),
  };
  const dir = await mkdtemp(join(tmpdir(), "certplane-bind9-"));
  const firstZone = options.zones[0];
  if (firstZone === undefined) throw new Error("startBind9 needs at least one zone");
  for (const zone of options.zones) await writeFile(join(dir, `db.${zone}`), zoneFile(zone));

  let child: ChildProcess | undefined;
  let port = 0;
  // freePort checks TCP only; named also needs the UDP port, so a rare clash is retried on another port.
  for (let attempt = 1; child === undefined; attempt++) {
    port = await freePort();
    const configPath = join(dir, "named.conf");
    await writeFile(configPath, namedConf(dir, port, options.zones, tsig));
    let output = "";
    const proc = spawn(binary, ["-g", "-n", "1", "-c", configPath], { stdio: ["ignore", "ignore", "pipe"] });
    killWithParent(proc);
    proc.stderr?.on("data", (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    });
    const spawnError = new Promise<never>((_, reject) =>
      proc.once("error", (error) =>
        reject(new Error(`cannot start ${binary}: ${error.message}; install it with apt-get install bind9`)),
      ),
    );
    try {
      await Promise.race([
        waitUntilAnswering(`127.0.0.1:${port}`, firstZone, proc, () => output),
        spawnError,
      ]);
      child = proc;
    } catch (error) {
      proc.kill("SIGKILL");
      if (attempt === 3) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }

  const address = `127.0.0.1:${port}`;
  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill("SIGKILL");
    await exited;
  };
  return {
    port,
    address,
    tsig,
    dig: (name, type) => query(address, name, type),
    stop,
    async dispose() {
      await stop();
      // Removing the directory also drops the .jnl journals, so no update survives into the next suite.
      await rm(dir, { recursive: true, force: true });
    },
  };
}

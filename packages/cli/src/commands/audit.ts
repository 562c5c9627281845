import type { KeyObject } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ValidationError } from "@certplane/domain";
import type {
  AuditProblem,
  AuditReport,
  CheckpointFile,
  EventStore,
  EventStoreConfig,
} from "@certplane/event-store";
import type { CliIo } from "../cli-io.ts";
import { type Command, type CommandContext, rejectExtraWords, usageError } from "../command.ts";

// The audit reads the raw store, not the API: it must see exactly what is stored, and the server
// it would ask is part of what is being checked. Heavy modules (the store adapters) are imported
// only when an audit runs, so other commands start as fast as before.

const usage =
  "certctl audit verify [--store LOCATION] [--checkpoints DIR --public-key FILE] [-o json] | " +
  "certctl audit checkpoint --key FILE --out DIR [--store LOCATION]";

const storeHelp =
  "--store takes sqlite:PATH, nats://HOST:PORT (JetStream, stream $CERTPLANE_JETSTREAM_STREAM) or esdb://…; " +
  "without it the store is the one CERTPLANE_STORE and its settings name (default the embedded SQLite file)";

export const auditCommand: Command = {
  name: "audit",
  usage,
  flags: ["store", "checkpoints", "public-key", "key", "out", "output"],
  async run(context) {
    const action = context.words[0];
    rejectExtraWords(context, 1, usage);
    if (action === "verify") return await verify(context);
    if (action === "checkpoint") return await checkpoint(context);
    throw usageError(
      action === undefined
        ? `missing action verify or checkpoint; usage: ${usage}`
        : `unknown audit action "${action}"; accepted: verify, checkpoint`,
    );
  },
};

async function verify(context: CommandContext): Promise<number> {
  const { flags, io } = context;
  if (context.flags.key !== undefined || context.flags.out !== undefined) {
    throw usageError(`--key and --out belong to "audit checkpoint"; usage: ${usage}`);
  }
  if ((flags.checkpoints === undefined) !== (flags["public-key"] === undefined)) {
    throw usageError(
      "--checkpoints and --public-key go together: checkpoints are trusted only under the auditor's key",
    );
  }
  if (flags.output !== undefined && flags.output !== "json") {
    throw ValidationError.of("--output", "oneOf", `-o takes only json, got "${flags.output}"`);
  }
  const es = await import("@certplane/event-store");
  const publicKey =
    flags["public-key"] === undefined
      ? undefined
      : es.parseVerifyingKey(await readKeyFile(flags["public-key"], "--public-key"), flags["public-key"]);
  const checkpoints = flags.checkpoints === undefined ? [] : await readCheckpoints(flags.checkpoints);
  const report = await withStore(context, (store) =>
    es.auditStore(store, {
      checkpoints,
      ...(publicKey === undefined ? {} : { publicKey }),
      onProgress: progressTo(io),
    }),
  );
  if (flags.output === "json") io.stdout.write(`${JSON.stringify(jsonReport(report), null, 2)}\n`);
  else printReport(report, io);
  return report.problems.length === 0 ? 0 : 1;
}

async function checkpoint(context: CommandContext): Promise<number> {
  const { flags, io } = context;
  if (flags.key === undefined || flags.out === undefined) {
    throw usageError(
      `audit checkpoint needs --key FILE (the auditor's Ed25519 private key) and --out DIR; usage: ${usage}`,
    );
  }
  if (flags.checkpoints !== undefined || flags["public-key"] !== undefined || flags.output !== undefined) {
    throw usageError(
      `audit checkpoint holds the store against the checkpoints in --out with --key's public half; usage: ${usage}`,
    );
  }
  const es = await import("@certplane/event-store");
  const { createPublicKey } = await import("node:crypto");
  const privateKey: KeyObject = es.parseSigningKey(await readKeyFile(flags.key, "--key"), flags.key);
  const out = resolve(flags.out);
  const earlier = existsSync(out) ? await readCheckpoints(out) : [];
  const report = await withStore(context, (store) =>
    es.auditStore(store, {
      checkpoints: earlier,
      publicKey: createPublicKey(privateKey),
      onProgress: progressTo(io),
    }),
  );
  if (report.problems.length > 0) {
    // Signing a tampered store would vouch for the tampering.
    printReport(report, io);
    io.stderr.write("error: the store does not verify; no checkpoint written\n");
    return 1;
  }
  const createdAt = io.now().toISOString();
  const signed = es.signCheckpoint(
    { createdAt, position: report.position, events: report.events, heads: report.heads },
    privateKey,
  );
  await mkdir(out, { recursive: true });
  const file = join(out, es.checkpointFileName(createdAt));
  await writeFile(file, `${JSON.stringify(signed, null, 2)}\n`, { flag: "wx" });
  io.stdout.write(
    `checkpoint ${file}: ${signed.streams} streams, ${signed.events} events, digest ${signed.digest}, key ${signed.keyId.slice(0, 16)}\n`,
  );
  return 0;
}

async function withStore<T>(context: CommandContext, body: (store: EventStore) => Promise<T>): Promise<T> {
  const config = await storeConfig(context.flags.store, context.io);
  const es = await import("@certplane/event-store");
  progressTo(context.io)(`opening the ${config.kind} event store ${describeStore(config)}`);
  const store = await es.openEventStore(config);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

async function storeConfig(location: string | undefined, io: CliIo): Promise<EventStoreConfig> {
  const { parseHostConfig } = await import("@certplane/runtime");
  const host = parseHostConfig(io.env, { store: "sqlite", bus: "in-process" });
  let config: EventStoreConfig;
  if (location === undefined) {
    if (host.store === "memory")
      throw usageError(`an in-memory store cannot be audited from another process; ${storeHelp}`);
    config =
      host.store === "sqlite"
        ? { kind: "sqlite", path: host.sqlitePath }
        : host.store === "jetstream"
          ? { kind: "jetstream", servers: host.natsServers, streamName: host.jetstreamStreamName }
          : { kind: "eventstoredb", connectionString: host.eventStoreUrl ?? "" };
  } else if (location.startsWith("sqlite:")) {
    config = { kind: "sqlite", path: resolve(location.slice("sqlite:".length)) };
  } else if (/^(nats|tls):\/\//.test(location)) {
    config = { kind: "jetstream", servers: location, streamName: host.jetstreamStreamName };
  } else if (/^esdb(\+discover)?:\/\//.test(location)) {
    config = { kind: "eventstoredb", connectionString: location };
  } else {
    throw ValidationError.of("--store", "location", `"${location}" is not a store location; ${storeHelp}`);
  }
  // Opening a SQLite path creates the file: an audit of a mistyped path would pass on an empty store.
  if (config.kind === "sqlite" && !existsSync(config.path)) {
    throw ValidationError.of("--store", "exists", `no SQLite event store at ${config.path}; ${storeHelp}`);
  }
  return { ...config, ...(config.kind === "jetstream" ? { connectionName: "certctl-audit" } : {}) };
}

function describeStore(config: EventStoreConfig): string {
  switch (config.kind) {
    case "sqlite":
      return config.path;
    case "jetstream":
      return `${config.servers} (${config.streamName})`;
    case "eventstoredb":
      // The connection string may carry credentials; name only where it points.
      return config.connectionString.replace(/\/\/[^@/]*@/, "//");
    case "memory":
      return "";
  }
}

/** Reads a key file; a failure names the flag and the file, never what is in it. */
async function readKeyFile(path: string, flag: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw ValidationError.of(flag, "readable", `cannot read ${path} (${code})`);
  }
}

async function readCheckpoints(dir: string): Promise<CheckpointFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(".json")).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw ValidationError.of("--checkpoints", "readable", `cannot list ${dir} (${code})`);
  }
  return await Promise.all(
    names.map(async (name): Promise<CheckpointFile> => {
      const text = await readFile(join(dir, name), "utf8");
      try {
        return { name, content: JSON.parse(text) };
      } catch {
        return { name, content: undefined };
      }
    }),
  );
}

function progressTo(io: CliIo): (message: string) => void {
  return (message) => io.stderr.write(`audit: ${message}\n`);
}

function describeProblem(problem: AuditProblem): string {
  if (problem.kind === "checkpoint") return `checkpoint: ${problem.message}`;
  const event = problem.eventId === undefined ? "" : ` event ${problem.eventId}`;
  return `${problem.kind}: ${problem.stream} revision ${problem.revision}${event}: ${problem.message}`;
}

function printReport(report: AuditReport, io: CliIo): void {
  for (const problem of report.problems) io.stdout.write(`${describeProblem(problem)}\n`);
  const scope = `${report.streams} streams, ${report.events} events, ${report.checkpoints} checkpoint(s)`;
  if (report.unchained > 0) {
    io.stdout.write(
      `note: ${report.unchained} events predate tamper evidence; the chained events after them cover them, ` +
        "checkpoints cover the rest\n",
    );
  }
  io.stdout.write(
    report.problems.length === 0
      ? `verified ${scope}: no event altered, removed or reordered\n`
      : `${report.problems.length} problem(s) in ${scope}\n`,
  );
}

function jsonReport(report: AuditReport): object {
  const { heads: _heads, ...rest } = report;
  return { ok: report.problems.length === 0, ...rest };
}

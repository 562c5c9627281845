// The scale of the past: run with `pnpm bench audit-replay` (CERTPLANE_BENCH_EVENTS, default
// 1,000,000). A real certificate's life (the seed's myapp-tls, issued and renewed twice by the
// embedded control plane) is cloned under new names into a SQLite store until it holds that many
// events, then intake is started on it. Figures: folding every event into the read models, one
// certificate's related history, replay of the whole system at an instant in the middle, a restart
// from the snapshot plus tail, and peak RSS. The clones' hash chains are not recomputed, so
// `audit verify` is not part of this bench.
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { startEmbeddedControlPlane } from "@certplane/control-plane";
import { parseIntakeConfig, startIntakeService } from "@certplane/intake";
import { InProcessBroker } from "@certplane/messaging";
import { buildInfrastructure, parseHostConfig, silentLogger } from "@certplane/runtime";
import Database from "better-sqlite3";
import { certctl } from "../e2e/support/certctl.ts";
import { applySeedAndWait } from "../e2e/support/seed-chain.ts";

const EVENTS = Number(process.env.CERTPLANE_BENCH_EVENTS || 1_000_000);
const progress = (message: string) => process.stderr.write(`[audit-replay bench] ${message}\n`);
const report = (figure: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: "audit-replay", ...figure })}\n`);
const rssMb = () => Math.round(process.memoryUsage().rss / 1_048_576);
let peakRss = 0;
const sample = setInterval(() => {
  peakRss = Math.max(peakRss, rssMb());
}, 50);

const work = await mkdtemp(join(tmpdir(), "certplane-bench-past-"));
const settingsFor = (dir: string) => ({
  CERTPLANE_DATA_DIR: join(dir, "data"),
  CERTPLANE_SECRETS_DIR: join(dir, "secrets"),
  CERTPLANE_ACME_HTTP01_LISTEN: "127.0.0.1:0",
  CERTPLANE_DASHBOARD_ADDRESS: "off",
});

try {
  progress("recording one certificate's life with the embedded control plane");
  const template = join(work, "template");
  const settings = settingsFor(template);
  const plane = await startEmbeddedControlPlane({
    host: parseHostConfig(settings, { store: "sqlite", bus: "in-process" }),
    env: settings,
    grpcAddress: "127.0.0.1:0",
    logger: silentLogger,
  });
  await applySeedAndWait(plane.apiUrl);
  for (const _ of [1, 2]) {
    await certctl(plane.apiUrl, "renew", "myapp-tls", "-n", "demo-apps");
    await certctl(
      plane.apiUrl,
      "wait",
      "certificate",
      "myapp-tls",
      "-n",
      "demo-apps",
      "--for=condition=Ready",
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  await plane.stop();

  const target = join(work, "past");
  await cp(join(template, "data"), join(target, "data"), { recursive: true });
  await rm(join(target, "data", "snapshots"), { recursive: true, force: true });
  const db = new Database(join(target, "data", "events.sqlite"));
  interface Row {
    stream: string;
    category: string;
    revision: number;
    commit_version: number;
    id: string;
    type: string;
    schema_version: number;
    data: string;
    metadata: string;
  }
  const life = db
    .prepare<[], Row>("SELECT * FROM events WHERE stream LIKE '%demo-apps_myapp-tls%' ORDER BY position")
    .all();
  const copies = Math.ceil(EVENTS / life.length);
  progress(`cloning ${life.length} events of myapp-tls ${copies} times`);
  const insert = db.prepare(
    `INSERT INTO events (stream, category, revision, commit_version, id, type, schema_version, data, metadata, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ids = life.map((row) => row.id);
  // Commit times follow store order (point-in-time reads rely on it): the clones are stamped between
  // the template's last event and now, in the order they are written.
  const last = db.prepare<[], { at: string }>("SELECT max(recorded_at) AS at FROM events").get()!.at;
  const start = Date.parse(last) + 1;
  const step = (Date.now() - start) / copies;
  const middleCopy = Math.floor(copies / 2);
  let middle = "";
  const started = performance.now();
  db.transaction(() => {
    for (let copy = 0; copy < copies; copy++) {
      const name = `app-${copy}`;
      const rename = (text: string) => {
        let out = text.replaceAll("myapp-tls", name);
        for (const id of ids)
          out = out.replaceAll(id, `${id.slice(0, 24)}${copy.toString(16).padStart(12, "0")}`);
        return out;
      };
      const recordedAt = new Date(start + copy * step).toISOString();
      if (copy === middleCopy) middle = recordedAt;
      for (const row of life) {
        insert.run(
          rename(row.stream),
          row.category,
          row.revision,
          row.commit_version,
          rename(row.id),
          row.type,
          row.schema_version,
          rename(row.data),
          rename(row.metadata),
          recordedAt,
        );
      }
      if (copy % 10_000 === 0) progress(`${copy * life.length} events written`);
    }
  })();
  // The clones stand for lives the services handled as they were recorded, so every durable
  // subscription's checkpoint is at the store's end (otherwise the approver would catch up on all of
  // them while the figures below are taken).
  db.prepare("UPDATE subscription_checkpoints SET position = (SELECT max(position) FROM events)").run();
  const total = (db.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n;
  db.close();
  report({
    figure: "store built",
    events: total,
    certificates: copies,
    ms: Math.round(performance.now() - started),
  });

  const startIntake = async () => {
    const env = settingsFor(target);
    const host = parseHostConfig(env, { store: "sqlite", bus: "in-process" });
    const infrastructure = await buildInfrastructure(host, {
      service: "bench",
      broker: new InProcessBroker(),
      logger: silentLogger,
    });
    const began = performance.now();
    const intake = await startIntakeService({
      ...infrastructure,
      logger: silentLogger,
      config: parseIntakeConfig(env, {}, { snapshotDir: join(target, "data", "snapshots") }),
    });
    return { intake, infrastructure, ms: performance.now() - began };
  };

  progress("starting intake: folding every event");
  let first: Awaited<ReturnType<typeof startIntake>> | undefined = await startIntake();
  report({
    figure: "read models folded from every event",
    events: total,
    ms: Math.round(first.ms),
    rssMb: rssMb(),
  });

  const name = `app-${middleCopy}`;
  let began = performance.now();
  const history = await first.intake.api.history({
    kind: "Certificate",
    name,
    namespace: "demo-apps",
    related: true,
  });
  report({
    figure: "one certificate's related history",
    events: history.events.length,
    ms: Math.round(performance.now() - began),
  });

  progress(`replaying the whole system at ${middle}`);
  began = performance.now();
  const replayed = await first.intake.api.replay({ at: middle });
  report({
    figure: "replay of the whole system at an instant in the middle",
    objects: replayed.items.length,
    ms: Math.round(performance.now() - began),
    rssMb: rssMb(),
  });

  began = performance.now();
  await first.intake.stop();
  await first.infrastructure.close();
  // A restart is a new process: nothing of the first intake's read models may stay on the heap.
  first = undefined;
  report({ figure: "stop, writing the snapshot", ms: Math.round(performance.now() - began) });

  const second = await startIntake();
  report({ figure: "start from the snapshot plus tail", ms: Math.round(second.ms), rssMb: rssMb() });
  await second.intake.stop();
  await second.infrastructure.close();
  report({ figure: "peak RSS", mb: Math.max(peakRss, rssMb()) });
} finally {
  clearInterval(sample);
  await rm(work, { recursive: true, force: true });
}

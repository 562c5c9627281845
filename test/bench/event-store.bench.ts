// Event-store throughput against the raw drivers: run with `npx tsx test/bench/event-store.bench.ts`.
// One JSON line per figure on stdout (ours, raw, ratio = ours / raw); progress on stderr. The machine
// is shared and noisy: read the ratios, not the absolute numbers, and expect ±25 %.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { ExpectedVersion, NewEvent } from "@certplane/domain";
import { JetStreamEventStore, SqliteEventStore } from "@certplane/event-store";
import { RawJetStreamBaseline, RawSqliteBaseline } from "@certplane/event-store/bench";
import { newEvent } from "@certplane/event-store/contract";
import { startNatsServer } from "@certplane/testing";

const WARMUP = 300;
const ROUNDS = 4;
const SEQUENTIAL = 2_000;
const PIPELINED = 10_000;
const WINDOW = 64;
const SQLITE_APPENDS = 2_000;
const SQLITE_READS = 20;
const SQLITE_SYNC = "FULL";

function progress(message: string): void {
  process.stderr.write(`[event-store bench] ${message}\n`);
}

async function seconds(run: () => unknown): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

function report(
  bench: string,
  n: number,
  ours: number,
  raw: number,
  extra: Record<string, unknown> = {},
): void {
  const oursPerS = Math.round(n / ours);
  const rawPerS = Math.round(n / raw);
  const ratio = Math.round((oursPerS / rawPerS) * 100) / 100;
  process.stdout.write(
    `${JSON.stringify({ bench, ours_per_s: oursPerS, raw_per_s: rawPerS, ratio, n, ...extra })}\n`,
  );
}

function event(i: number): NewEvent {
  return newEvent("CertificateRenewalScheduled", {
    certificate: `web-${i}`,
    renewAt: "2026-02-01T00:00:00Z",
  });
}

const encoder = new TextEncoder();
const rawBody = (i: number) => encoder.encode(JSON.stringify([event(i)]));

async function benchJetStream(url: string): Promise<void> {
  const ours = await JetStreamEventStore.connect({
    servers: url,
    streamName: "BENCH_OURS",
    subjectPrefix: "ours",
  });
  const raw = await RawJetStreamBaseline.open(url, "BENCH_RAW", "raw");
  try {
    const oursChain = async (stream: string, n: number) => {
      let expected: ExpectedVersion = "no_stream";
      for (let i = 0; i < n; i++) expected = (await ours.append(stream, [event(i)], expected)).version;
    };
    progress(`jetstream: warm-up, ${WARMUP} appends each`);
    await raw.appendSequential("warm", WARMUP, rawBody);
    await oursChain("warm-one", WARMUP);
    // Alternating rounds spread the machine's drift over both sides instead of favouring one.
    let rawSequential = 0;
    let oursSequential = 0;
    let rawPipelined = 0;
    let oursPipelined = 0;
    const perRound = SEQUENTIAL / ROUNDS;
    const pipelinedPerRound = PIPELINED / ROUNDS;
    for (let round = 0; round < ROUNDS; round++) {
      progress(
        `jetstream: round ${round + 1}/${ROUNDS}: ${perRound} sequential, ${pipelinedPerRound} pipelined each`,
      );
      rawSequential += await seconds(() => raw.appendSequential(`seq${round}`, perRound, rawBody));
      oursSequential += await seconds(() => oursChain(`seq${round}-one`, perRound));
      rawPipelined += await seconds(() =>
        raw.appendPipelined(`pipe${round}`, pipelinedPerRound, WINDOW, rawBody),
      );
      oursPipelined += await seconds(async () => {
        for (let start = 0; start < pipelinedPerRound; start += WINDOW) {
          const batch: Promise<unknown>[] = [];
          for (let i = start; i < Math.min(pipelinedPerRound, start + WINDOW); i++) {
            batch.push(ours.append(`pipe${round}-a${i}`, [event(i)], "no_stream"));
          }
          await Promise.all(batch);
        }
      });
    }
    report("jetstream.append.sequential", SEQUENTIAL, oursSequential, rawSequential);
    report("jetstream.append.pipelined", PIPELINED, oursPipelined, rawPipelined, { window: WINDOW });

    const total = WARMUP + SEQUENTIAL + PIPELINED;
    progress(`jetstream: replay of ${total} events each`);
    let replayed = 0;
    const rawReplay = await seconds(async () => {
      replayed = await raw.replay();
    });
    let delivered = 0;
    const oursReplay = await seconds(async () => {
      let caughtUp: () => void = () => undefined;
      const done = new Promise<void>((resolve) => {
        caughtUp = resolve;
      });
      const subscription = await ours.subscribe({
        handler: async () => {
          delivered++;
        },
        onCaughtUp: () => caughtUp(),
      });
      await done;
      await subscription.stop();
    });
    if (replayed !== total || delivered !== total)
      progress(`replay counts differ: raw ${replayed}, ours ${delivered}`);
    report("jetstream.replay.from_start", total, oursReplay, rawReplay);
  } finally {
    await ours.close();
    await raw.close();
  }
}

async function benchSqlite(dir: string): Promise<void> {
  const ours = new SqliteEventStore({ path: join(dir, "ours.db"), synchronous: SQLITE_SYNC });
  const raw = new RawSqliteBaseline(join(dir, "raw.db"), SQLITE_SYNC);
  try {
    progress(`sqlite: ${SQLITE_APPENDS} sequential appends each (synchronous=${SQLITE_SYNC})`);
    const rawAppend = await seconds(() => {
      for (let i = 0; i < SQLITE_APPENDS; i++) {
        const e = event(i);
        raw.insert("bench-one", i, e.id, e.type, e.data, e.metadata);
      }
    });
    const oursAppend = await seconds(async () => {
      let expected: ExpectedVersion = "no_stream";
      for (let i = 0; i < SQLITE_APPENDS; i++)
        expected = (await ours.append("bench-one", [event(i)], expected)).version;
    });
    report("sqlite.append.sequential", SQLITE_APPENDS, oursAppend, rawAppend, { synchronous: SQLITE_SYNC });

    const stream = "bench-one";
    progress(`sqlite: ${SQLITE_READS} reads of a ${SQLITE_APPENDS}-event stream each`);
    const rawRead = await seconds(() => {
      for (let r = 0; r < SQLITE_READS; r++) raw.select(stream);
    });
    const oursRead = await seconds(async () => {
      for (let r = 0; r < SQLITE_READS; r++) await ours.read(stream);
    });
    report("sqlite.read.stream", SQLITE_READS * SQLITE_APPENDS, oursRead, rawRead, {
      unit: "events",
      reads: SQLITE_READS,
    });
  } finally {
    await ours.close();
    raw.close();
  }
}

const server = await startNatsServer();
const dir = await mkdtemp(join(tmpdir(), "certplane-es-bench-"));
try {
  await benchJetStream(server.url);
  await benchSqlite(dir);
} finally {
  await server.dispose();
  await rm(dir, { recursive: true, force: true });
}

// Renewal scheduling at scale: run with `npx tsx test/bench/renewal.bench.ts`. One JSON line per
// figure on stdout, progress on stderr. Figures: resident memory of a million tracked certificates,
// the time to fold their events and build the timer heap, and how late timers fire on a real clock.
import { performance } from "node:perf_hooks";
import type { CertificateSpec } from "@certplane/domain";
import type { CertificateEvent } from "@certplane/domain/model";
import { systemTimerClock } from "@certplane/runtime";
import { parseRenewalSchedulerConfig } from "../../services/renewal-scheduler/src/config.ts";
import { TimerHeap } from "../../services/renewal-scheduler/src/timers/timer-heap.ts";
import { planRenewal } from "../../services/renewal-scheduler/src/trigger/renewal-plan.ts";
import type { TrackedCertificate } from "../../services/renewal-scheduler/src/trigger/tracked-certificate.ts";
import { evolveTracked } from "../../services/renewal-scheduler/src/trigger/tracked-certificate.ts";

const CERTIFICATES = 1_000_000;
const TIMERS = 10_000;
const TIMER_SPREAD_MS = 3_000;

const progress = (message: string) => process.stderr.write(`[renewal bench] ${message}\n`);
const report = (figure: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: "renewal", ...figure })}\n`);

function* eventsOf(i: number): Generator<CertificateEvent> {
  const name = `web-${i}`;
  const spec: CertificateSpec = {
    secretName: `${name}-tls`,
    issuerRef: { name: "ca" },
    duration: "2160h",
  };
  const notBefore = Date.UTC(2026, 0, 1) + (i % 86_400) * 1000;
  yield {
    type: "CertificateApplied",
    data: {
      meta: {
        name,
        namespace: "default",
        uid: `uid-${i}`,
        generation: 1,
        creationTimestamp: "2026-01-01T00:00:00Z",
      },
      spec,
      appliedAt: "2026-01-01T00:00:00Z",
    },
  };
  yield {
    type: "IssuanceTriggered",
    data: {
      revision: 1,
      requestName: `${name}-1`,
      reason: "DoesNotExist",
      message: "",
      generation: 1,
      triggeredAt: "2026-01-01T00:00:00Z",
    },
  };
  yield {
    type: "CertificateIssued",
    data: {
      revision: 1,
      requestName: `${name}-1`,
      serialNumber: i.toString(16),
      notBefore: new Date(notBefore).toISOString(),
      notAfter: new Date(notBefore + 90 * 86_400_000).toISOString(),
      issuedAt: "2026-01-01T00:00:00Z",
    },
  };
}

function rebuild(): {
  tracked: Map<string, TrackedCertificate>;
  heap: TimerHeap;
  foldMs: number;
  heapMs: number;
} {
  const config = parseRenewalSchedulerConfig({});
  const tracked = new Map<string, TrackedCertificate>();
  let start = performance.now();
  for (let i = 0; i < CERTIFICATES; i++) {
    const stream = `certificate-default_web-${i}`;
    let state: TrackedCertificate | undefined;
    for (const event of eventsOf(i)) state = evolveTracked(state, event);
    if (state) tracked.set(stream, state);
  }
  const foldMs = performance.now() - start;
  start = performance.now();
  const heap = new TimerHeap();
  const now = new Date("2026-01-02T00:00:00Z");
  for (const [stream, certificate] of tracked) {
    // The secret is irrelevant to the timing figure; a present, matching one is assumed.
    const plan = planRenewal(certificate, undefined, stream, config, now);
    if (plan.wakeAt !== undefined) heap.schedule(stream, plan.wakeAt);
    else heap.schedule(stream, now.getTime());
  }
  return { tracked, heap, foldMs, heapMs: performance.now() - start };
}

async function timerLateness(): Promise<void> {
  const heap = new TimerHeap();
  const due = new Map<string, number>();
  const base = Date.now() + 200;
  for (let i = 0; i < TIMERS; i++) {
    const at = base + Math.floor(Math.random() * TIMER_SPREAD_MS);
    due.set(`t-${i}`, at);
    heap.schedule(`t-${i}`, at);
  }
  const lateness: number[] = [];
  const signal = new AbortController().signal;
  for (;;) {
    const next = heap.peek();
    if (next === undefined) break;
    await systemTimerClock.sleepUntil(new Date(next), signal);
    const now = Date.now();
    for (const key of heap.takeDue(now)) lateness.push(now - (due.get(key) ?? now));
  }
  lateness.sort((a, b) => a - b);
  const pct = (p: number) => lateness[Math.min(lateness.length - 1, Math.floor((p / 100) * lateness.length))];
  report({
    figure: "timer_lateness_ms",
    timers: TIMERS,
    spread_ms: TIMER_SPREAD_MS,
    p50: pct(50),
    p99: pct(99),
    max: lateness.at(-1),
  });
}

const rssBefore = process.memoryUsage().rss;
progress(`folding ${CERTIFICATES} certificates`);
const { tracked, heap, foldMs, heapMs } = rebuild();
global.gc?.();
const rssAfter = process.memoryUsage().rss;
report({ figure: "rebuild_fold_ms", certificates: tracked.size, ms: Math.round(foldMs) });
report({ figure: "rebuild_heap_ms", certificates: heap.size, ms: Math.round(heapMs) });
report({
  figure: "resident_memory",
  certificates: tracked.size,
  rss_delta_mb: Math.round((rssAfter - rssBefore) / 1_048_576),
  bytes_per_certificate: Math.round((rssAfter - rssBefore) / tracked.size),
});
progress("measuring timer lateness");
await timerLateness();

// A renewal the clock fires weeks after the apply is a trace of its own, linked to the event it
// follows from; work an event asks for (the first issuance) continues that event's trace.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { streams } from "@certplane/domain/model";
import { silentLogger } from "@certplane/runtime";
import { FakeTimerClock } from "@certplane/runtime/testing";
import { parseTraceparent } from "@certplane/telemetry";
import { InMemorySpanExporter, startTracing, type Tracing } from "@certplane/telemetry/sdk";
import { pollUntil } from "@certplane/testing";
import { parseRenewalSchedulerConfig } from "./config.ts";
import { startRenewalSchedulerService } from "./index.ts";
import { NAMESPACE, SimulatedControlPlane, USER_TRACEPARENT } from "./testing/simulated-publisher.ts";

const HOUR = 3_600_000;
const T0 = "2026-03-02T00:00:00.000Z";

describe("renewal scheduler traces", () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  before(() => {
    tracing = startTracing({ serviceName: "renewal-scheduler", env: {}, exporter });
  });
  after(async () => {
    await tracing.shutdown();
  });

  it("fires a due renewal in a new trace linked to its cause, and records that span on the trigger", async () => {
    const clock = new FakeTimerClock(T0);
    const plane = new SimulatedControlPlane(clock);
    const service = await startRenewalSchedulerService({
      store: plane.store,
      bus: plane.bus,
      clock,
      newId: randomUUID,
      logger: silentLogger,
      config: parseRenewalSchedulerConfig({}),
    });
    try {
      await plane.apply("short", { duration: "1h", renewBefore: "30m" });
      await plane.completeIssuance("short", HOUR);
      const renewAt = new Date(Date.parse(T0) + HOUR / 2).toISOString();
      await pollUntil(() => clock.armedAt === renewAt, { what: "a wake at 30m" });
      const issuance = streams.certificateIssuance(NAMESPACE, "short");
      const before = (await plane.store.read(issuance)).events;

      clock.set(renewAt);
      const trigger = await pollUntil(async () =>
        (await plane.store.read(issuance)).events.find(
          (event) => event.type === "IssuanceTriggered" && !before.some((seen) => seen.id === event.id),
        ),
      );

      const spans = exporter.getFinishedSpans();
      const reconcile = spans.find((span) => span.name === "renewal-scheduler reconcile");
      assert.ok(reconcile, "the first issuance, asked for by the apply, was reconciled in a span");
      const timer = spans.find((span) => span.name === "renewal-scheduler timer");
      assert.ok(timer, spans.map((span) => span.name).join(", "));
      assert.equal(timer.parentSpanContext, undefined, "a root span");
      assert.equal(timer.attributes["certplane.trigger.reason"], "Renewing");
      // The simulated publisher's issuance, in the user's trace, is what the renewal follows from.
      const linked = parseTraceparent(USER_TRACEPARENT);
      assert.ok(linked);
      assert.deepEqual(
        [reconcile.spanContext().traceId, reconcile.parentSpanContext?.spanId],
        [linked.traceId, linked.spanId],
        "the first issuance continues the apply's trace",
      );
      assert.deepEqual(
        timer.links.map((link) => [link.context.traceId, link.context.spanId]),
        [[linked.traceId, linked.spanId]],
      );
      assert.notEqual(timer.spanContext().traceId, linked.traceId);
      const recorded = parseTraceparent(trigger.metadata.traceparent ?? "");
      assert.deepEqual(
        [recorded?.traceId, recorded?.spanId],
        [timer.spanContext().traceId, timer.spanContext().spanId],
      );
    } finally {
      await service.stop();
      await plane.stop();
    }
  });
});

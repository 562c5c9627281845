import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import { activeTraceIds, inSpan, recordingTraceparent, tracingRequested } from "./spans.ts";
import { parseTraceparent } from "./traceparent.ts";
import { startTracing, type Tracing } from "./tracing.ts";

const applyTrace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

describe("spans with tracing off", () => {
  it("still runs the work, and records no traceparent nor trace ids for the logs", async () => {
    const result = await inSpan("work", { parent: applyTrace }, async () => {
      assert.equal(recordingTraceparent(), undefined);
      assert.equal(activeTraceIds(), undefined);
      return 42;
    });
    assert.equal(result, 42);
  });
});

describe("spans with the SDK and its in-memory exporter", () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  before(() => {
    tracing = startTracing({ serviceName: "test", env: {}, exporter });
  });
  after(async () => {
    await tracing.shutdown();
  });

  it("continues the trace of a remote parent, and records the span for the work's events", async () => {
    exporter.reset();
    let recorded: string | undefined;
    let logged: ReturnType<typeof activeTraceIds>;
    await inSpan("process certificate", { kind: SpanKind.CONSUMER, parent: applyTrace }, async () => {
      recorded = recordingTraceparent();
      logged = activeTraceIds();
    });
    const [span] = exporter.getFinishedSpans();
    assert.ok(span);
    assert.equal(span.name, "process certificate");
    assert.equal(span.kind, SpanKind.CONSUMER);
    assert.equal(span.spanContext().traceId, "0af7651916cd43dd8448eb211c80319c");
    assert.equal(span.parentSpanContext?.spanId, "b7ad6b7169203331");
    assert.equal(parseTraceparent(recorded ?? "")?.spanId, span.spanContext().spanId);
    assert.equal(span.resource.attributes["service.name"], "test");
    assert.deepEqual(logged, { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId });
  });

  it("nests spans started inside the work", async () => {
    exporter.reset();
    await inSpan("outer", {}, () => inSpan("inner", {}, async () => {}));
    const [inner, outer] = exporter.getFinishedSpans();
    assert.equal(inner?.parentSpanContext?.spanId, outer?.spanContext().spanId);
  });

  it("starts a new trace linked to its cause when asked for a root", async () => {
    exporter.reset();
    await inSpan("outer", { parent: applyTrace }, () =>
      inSpan(
        "renewal-scheduler timer",
        { root: true, links: [applyTrace, undefined, "garbage"] },
        async () => {},
      ),
    );
    const timer = exporter.getFinishedSpans().find((span) => span.name === "renewal-scheduler timer");
    assert.ok(timer);
    assert.notEqual(timer.spanContext().traceId, "0af7651916cd43dd8448eb211c80319c");
    assert.equal(timer.parentSpanContext, undefined);
    assert.deepEqual(
      timer.links.map((link) => link.context.spanId),
      ["b7ad6b7169203331"],
    );
  });

  it("marks the span as failed with the error, and rethrows it", async () => {
    exporter.reset();
    await assert.rejects(
      inSpan("failing", {}, async () => {
        throw new Error("store unavailable");
      }),
      /store unavailable/,
    );
    const [span] = exporter.getFinishedSpans();
    assert.equal(span?.status.code, SpanStatusCode.ERROR);
    assert.equal(span?.status.message, "store unavailable");
    assert.equal(span?.events[0]?.name, "exception");
  });
});

describe("tracingRequested", () => {
  const cases: readonly [Record<string, string>, boolean][] = [
    [{}, false],
    [{ OTEL_TRACES_EXPORTER: "otlp" }, true],
    [{ OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318/v1/traces" }, true],
    [{ OTEL_SDK_DISABLED: "true", OTEL_TRACES_EXPORTER: "otlp" }, false],
  ];
  for (const [env, expected] of cases) {
    it(`${JSON.stringify(env)} → ${expected ? "on" : "off"}`, () =>
      assert.equal(tracingRequested(env), expected));
  }
  it("refuses an exporter it does not know, naming the variable", () => {
    assert.throws(
      () => startTracing({ serviceName: "x", env: { OTEL_TRACES_EXPORTER: "zipkin" } }),
      /OTEL_TRACES_EXPORTER "zipkin" is not supported: use otlp, console or none/,
    );
  });
});

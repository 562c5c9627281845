// The embedded default with the SDK's in-memory exporter: the seed chain's apply is one trace from
// the gRPC call through every reactor and publication it causes, every span's parent in it, and the
// events each step recorded point at the span that recorded them.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { streams } from "@certplane/domain/model";
import { parseTraceparent } from "@certplane/telemetry";
import { InMemorySpanExporter, startTracing, type Tracing } from "@certplane/telemetry/sdk";
import { startTestEmbeddedPlane, type TestEmbeddedPlane } from "./support/embedded-plane.ts";
import { applySeedAndWait } from "./support/seed-chain.ts";
import { eventually } from "./support/service-process.ts";

describe("traces of the embedded control plane", () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let embedded: TestEmbeddedPlane;

  before(async () => {
    tracing = startTracing({ serviceName: "certplane", env: {}, exporter });
    embedded = await startTestEmbeddedPlane("certplane-tracing-");
  });
  after(async () => {
    await embedded?.dispose();
    await tracing?.shutdown();
  });

  test("the seed chain's apply is one well-formed trace through intake, renewal-scheduler, signer and publisher", async () => {
    await applySeedAndWait(embedded.server);
    const trace = await eventually("the apply's trace to reach the publisher", async () => {
      const spans = exporter.getFinishedSpans();
      const root = spans.find((span) => span.name === "certplane.v1.Certplane/Apply");
      const inTrace = spans.filter((span) => span.spanContext().traceId === root?.spanContext().traceId);
      const groups = new Set(inTrace.map((span) => span.attributes["messaging.consumer.group.name"]));
      return root && groups.has("secret-publisher-issuing") && groups.has("signer-signing")
        ? inTrace
        : undefined;
    });
    const ids = new Set(trace.map((span) => span.spanContext().spanId));
    const roots = trace.filter((span) => span.parentSpanContext === undefined);
    assert.deepEqual(
      roots.map((span) => span.name),
      ["certplane.v1.Certplane/Apply"],
    );
    const orphans = trace.filter((span) => span.parentSpanContext && !ids.has(span.parentSpanContext.spanId));
    assert.deepEqual(
      orphans.map((span) => span.name),
      [],
    );
    assert.ok(trace.some((span) => span.name === "renewal-scheduler reconcile"));
    assert.ok(trace.some((span) => span.attributes["messaging.consumer.group.name"] === "intake-approver"));

    // myapp-tls's issued request was recorded by a span of this trace.
    const { events } = await embedded.plane.infrastructure.store.read(
      streams.certificateRequest("demo-apps", "myapp-tls-1"),
    );
    const issued = events.find((event) => event.type === "CertificateRequestIssued");
    const recorded = parseTraceparent(issued?.metadata.traceparent ?? "");
    assert.ok(recorded);
    assert.equal(recorded.traceId, roots[0]?.spanContext().traceId);
    assert.ok(ids.has(recorded.spanId), "the event names the span that recorded it");
  });
});

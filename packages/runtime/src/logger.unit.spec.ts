import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inSpan } from "@certplane/telemetry";
import { InMemorySpanExporter, startTracing } from "@certplane/telemetry/sdk";
import { createLogger } from "./logger.ts";

describe("createLogger", () => {
  it("writes one JSON line with level, service and fields, and drops levels below the threshold", () => {
    const lines: string[] = [];
    const logger = createLogger({
      service: "signer",
      level: "info",
      write: (line) => lines.push(line),
      now: () => new Date("2026-01-01T00:00:00Z"),
    });
    logger.debug("hidden");
    logger.child({ certificate: "web" }).info("issued", { serial: "01" });
    assert.equal(lines.length, 1);
    assert.deepEqual(JSON.parse(lines[0]!), {
      time: "2026-01-01T00:00:00.000Z",
      level: "info",
      service: "signer",
      msg: "issued",
      certificate: "web",
      serial: "01",
    });
  });

  it("never writes a PEM private key, even when a caller passes one", () => {
    const lines: string[] = [];
    const logger = createLogger({ service: "t", write: (line) => lines.push(line) });
    logger.error("oops", { key: "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----" });
    assert.doesNotMatch(lines.join("\n"), /PRIVATE KEY/);
    assert.match(lines[0]!, /\[redacted\]/);
  });

  it("puts the trace and span of the work on every line written inside it", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing({ serviceName: "signer", env: {}, exporter });
    try {
      const lines: string[] = [];
      const logger = createLogger({ service: "signer", write: (line) => lines.push(line) });
      logger.info("outside");
      await inSpan("process certificateRequest", {}, async () => logger.child({ a: 1 }).warn("inside"));
      const [span] = exporter.getFinishedSpans();
      const [outside, inside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.equal(outside?.trace_id, undefined);
      assert.equal(inside?.trace_id, span?.spanContext().traceId);
      assert.equal(inside?.span_id, span?.spanContext().spanId);
    } finally {
      await tracing.shutdown();
    }
  });
});

// One trace per user action through the five service processes: each exports its spans over
// OTLP/HTTP (configured only by the standard OTEL_* variables) to a local receiver, and one ACME
// issuance against pebble is one trace id across all five services, every span's parent in it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type Bind9Handle,
  type OtlpReceiverHandle,
  type PebbleHandle,
  type ReceivedSpan,
  startBind9,
  startOtlpReceiver,
  startPebble,
} from "@certplane/testing";
import { pebbleSiteYaml, withManifest } from "./support/acme-fixtures.ts";
import { certctl, waitReady } from "./support/certctl.ts";
import type { FiveProcessPlane } from "./support/five-process-plane.ts";
import { serviceNames, startFiveProcessPlane } from "./support/five-process-plane.ts";
import { eventually } from "./support/service-process.ts";

const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;

/** The spans of the trace a server span named `rpc` began, once all five services are in it and every parent arrived. */
function completeTrace(spans: readonly ReceivedSpan[], rpc: string): ReceivedSpan[] | undefined {
  const root = spans.find((span) => span.name === `certplane.v1.Certplane/${rpc}` && span.kind === SERVER);
  if (root === undefined) return undefined;
  const trace = spans.filter((span) => span.traceId === root.traceId);
  const ids = new Set(trace.map((span) => span.spanId));
  const services = new Set(trace.map((span) => span.service));
  const orphans = trace.filter((span) => span !== root && !ids.has(span.parentSpanId ?? ""));
  return serviceNames.every((name) => services.has(name)) && orphans.length === 0 ? trace : undefined;
}

describe("traces through five processes over OTLP", () => {
  let bind: Bind9Handle;
  let pebble: PebbleHandle;
  let receiver: OtlpReceiverHandle;
  let plane: FiveProcessPlane;

  before(async () => {
    receiver = await startOtlpReceiver();
    bind = await startBind9({ zones: ["example.test"] });
    pebble = await startPebble({ dnsServer: bind.address });
    const responder = `127.0.0.1:${pebble.httpPort}`;
    plane = await startFiveProcessPlane({
      env: {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.tracesEndpoint,
        // Export promptly, so the test waits for work, not for the batch timer.
        OTEL_BSP_SCHEDULE_DELAY: "100",
      },
      perService: {
        "acme-solver": {
          CERTPLANE_ACME_HTTP01_LISTEN: responder,
          CERTPLANE_ACME_HTTP01_SELF_CHECK_ADDRESS: responder,
          CERTPLANE_ACME_POLL_INTERVAL_MS: "100",
        },
      },
    });
  });

  after(async () => {
    await plane?.dispose();
    await pebble?.dispose();
    await bind?.dispose();
    await receiver?.dispose();
  });

  test("one issuance is one trace id across all five services, from the API call down", async () => {
    const manifests = pebbleSiteYaml(pebble);
    const applied = await withManifest(manifests, (file) => certctl(plane.grpcServer, "apply", "-f", file));
    assert.equal(applied.code, 0, applied.stderr);
    const ready = await waitReady(plane.grpcServer, "site", "web");
    assert.equal(ready.code, 0, `${ready.stderr}\n${plane.logs()}`);

    const trace = await eventually(
      "the apply's trace to hold all five services",
      async () => completeTrace(receiver.spans(), "Apply"),
      { timeoutMs: 60_000, onTimeout: () => `${JSON.stringify(summary(receiver.spans()))}\n${plane.logs()}` },
    );
    const root = trace.find((span) => span.kind === SERVER);
    assert.equal(root?.service, "intake");
    assert.equal(root?.attributes["rpc.system"], "grpc");
    assert.equal(root?.attributes["rpc.method"], "Apply");
    const has = (service: string, match: (span: ReceivedSpan) => boolean) =>
      assert.ok(
        trace.some((span) => span.service === service && match(span)),
        `${service}: ${JSON.stringify(summary(trace))}`,
      );
    has("renewal-scheduler", (span) => span.name === "renewal-scheduler reconcile");
    has("signer", (span) => span.kind === CONSUMER && span.name === "process certificateRequest");
    has("acme-solver", (span) => span.name === "acme-solver order");
    // The ACME server's answers, as HTTP client spans under the order's work.
    has(
      "acme-solver",
      (span) =>
        span.kind === CLIENT &&
        span.attributes["http.request.method"] === "POST" &&
        span.attributes["http.response.status_code"] === 201,
    );
    has("secret-publisher", (span) => span.kind === CONSUMER);
    assert.deepEqual(receiver.rejected(), []);
  });

  test("a manual renew is a trace of its own, begun by the Renew call", async () => {
    const renewed = await certctl(plane.grpcServer, "renew", "site", "-n", "web");
    assert.equal(renewed.code, 0, renewed.stderr);
    const apply = receiver.spans().find((span) => span.name === "certplane.v1.Certplane/Apply");
    const trace = await eventually(
      "the renew's trace to reach the signer and the publisher",
      async () => {
        const root = receiver.spans().find((span) => span.name === "certplane.v1.Certplane/Renew");
        const spans = receiver.spans().filter((span) => span.traceId === root?.traceId);
        const services = new Set(spans.map((span) => span.service));
        return root && services.has("signer") && services.has("secret-publisher") ? spans : undefined;
      },
      { timeoutMs: 60_000, onTimeout: plane.logs },
    );
    assert.notEqual(trace[0]?.traceId, apply?.traceId);
  });
});

function summary(spans: readonly ReceivedSpan[]) {
  return spans.map(({ service, name, traceId, kind }) => `${service}:${name}:${kind}:${traceId.slice(0, 8)}`);
}

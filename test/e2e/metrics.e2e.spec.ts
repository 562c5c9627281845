// cert-manager's metrics from the embedded default, scraped by a real Prometheus and asserted in
// PromQL through its HTTP API, as an existing cert-manager dashboard or alert would query them.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { PrometheusHandle } from "@certplane/testing";
import { startPrometheus } from "@certplane/testing";
import type { TestEmbeddedPlane } from "./support/embedded-plane.ts";
import { startTestEmbeddedPlane } from "./support/embedded-plane.ts";
import { applySeedAndWait } from "./support/seed-chain.ts";

const MYAPP = 'name="myapp-tls",namespace="demo-apps"';

describe("metrics of the embedded control plane, scraped by Prometheus", () => {
  let embedded: TestEmbeddedPlane;
  let prometheus: PrometheusHandle;
  let metricsUrl: string;

  before(async () => {
    embedded = await startTestEmbeddedPlane("certplane-metrics-", () => ({
      CERTPLANE_METRICS_ADDRESS: "127.0.0.1:0",
    }));
    assert.ok(embedded.plane.metricsUrl, "CERTPLANE_METRICS_ADDRESS set: the plane serves metrics");
    metricsUrl = embedded.plane.metricsUrl;
    prometheus = await startPrometheus({ targets: [new URL(metricsUrl).host] });
    await applySeedAndWait(embedded.server);
  });

  after(async () => {
    await prometheus?.dispose();
    await embedded?.dispose();
  });

  test("myapp-tls is Ready: condition True is 1, and False and Unknown are present as 0", async () => {
    const ready = await prometheus.waitFor(
      `certmanager_certificate_ready_status{${MYAPP},condition="True"} == 1`,
    );
    assert.deepEqual(
      {
        issuer_name: ready[0]?.metric.issuer_name,
        issuer_kind: ready[0]?.metric.issuer_kind,
        issuer_group: ready[0]?.metric.issuer_group,
      },
      { issuer_name: "demo-ca-issuer", issuer_kind: "ClusterIssuer", issuer_group: "cert-manager.io" },
    );
    const all = await prometheus.query(`certmanager_certificate_ready_status{${MYAPP}}`);
    const byCondition = Object.fromEntries(all.map((sample) => [sample.metric.condition, sample.value]));
    assert.deepEqual(byCondition, { True: 1, False: 0, Unknown: 0 });
  });

  test("expiry, validity and renewal gauges equal what the read model says of myapp-tls", async () => {
    const { items } = await embedded.plane.api.get({
      kind: "Certificate",
      name: "myapp-tls",
      namespace: "demo-apps",
    });
    const status = items[0]?.status as { notBefore: string; notAfter: string; renewalTime: string };
    const seconds = (time: string) => Math.floor(Date.parse(time) / 1000);
    const gauges = {
      certmanager_certificate_expiration_timestamp_seconds: seconds(status.notAfter),
      certmanager_certificate_not_after_timestamp_seconds: seconds(status.notAfter),
      certmanager_certificate_not_before_timestamp_seconds: seconds(status.notBefore),
      certmanager_certificate_renewal_timestamp_seconds: seconds(status.renewalTime),
    };
    for (const [name, expected] of Object.entries(gauges)) {
      const samples = await prometheus.waitFor(`${name}{${MYAPP}} == ${expected}`);
      assert.equal(samples.length, 1, name);
    }
    // The seed's 90-day duration and 15-day renewBefore, through the gauges an alert divides.
    const [lifetime] = await prometheus.waitFor(
      `certmanager_certificate_expiration_timestamp_seconds{${MYAPP}} - ignoring() group_left certmanager_certificate_not_before_timestamp_seconds{${MYAPP}}`,
    );
    assert.equal(lifetime?.value, 90 * 86_400);
  });

  test("every seed certificate has its series, and the clock gauge tells the time", async () => {
    const names = await prometheus.waitFor("count by (name) (certmanager_certificate_ready_status) == 3");
    assert.deepEqual(names.map((sample) => sample.metric.name).sort(), [
      "demo-ca",
      "myapp-tls",
      "short-lived-cert",
    ]);
    await prometheus.waitFor("abs(certmanager_clock_time_seconds_gauge - time()) < 30");
  });

  test("reactors count their sync calls, and the store counts what was appended per category", async () => {
    const controllers = await prometheus.waitFor("certmanager_controller_sync_call_count > 0");
    assert.ok(
      controllers.length >= 3,
      `several reactors sync: ${JSON.stringify(controllers.map((s) => s.metric))}`,
    );
    for (const category of ["certificate", "certificateIssuance", "certificateRequest", "secret"]) {
      await prometheus.waitFor(`certplane_events_appended_total{category="${category}"} > 0`);
    }
    await prometheus.waitFor("max(certplane_reactor_lag_seconds) < 30");
  });

  test("/livez and /readyz answer on the same listener, ready with every check named", async () => {
    const live = await fetch(`${metricsUrl}/livez`);
    assert.equal(live.status, 200);
    const ready = await fetch(`${metricsUrl}/readyz`);
    const body = await ready.text();
    assert.equal(ready.status, 200, body);
    for (const check of ["started", "store", "bus", "subscriptions"]) {
      assert.match(body, new RegExp(`^\\[\\+\\]${check} ok$`, "m"));
    }
  });
});

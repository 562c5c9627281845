// Each of the five service processes serves /metrics, /livez and /readyz on its own listener:
// Prometheus scrapes all five, each fact comes from the service that owns it, and readiness
// follows the real nats-server going away and coming back.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { PebbleHandle, PrometheusHandle } from "@certplane/testing";
import { freePort, startPebble, startPrometheus } from "@certplane/testing";
import { acmeClusterIssuerYaml, withManifest } from "./support/acme-fixtures.ts";
import { certctl } from "./support/certctl.ts";
import type { FiveProcessPlane, ServiceName } from "./support/five-process-plane.ts";
import { serviceNames, startFiveProcessPlane } from "./support/five-process-plane.ts";
import { applySeedAndWait } from "./support/seed-chain.ts";
import { eventually } from "./support/service-process.ts";

async function readyz(address: string): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(`http://${address}/readyz`);
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: (error as Error).message };
  }
}

describe("metrics and health of five service processes", () => {
  let pebble: PebbleHandle;
  let plane: FiveProcessPlane;
  let prometheus: PrometheusHandle;
  const addresses = new Map<ServiceName, string>();

  before(async () => {
    pebble = await startPebble();
    for (const name of serviceNames) addresses.set(name, `127.0.0.1:${await freePort()}`);
    plane = await startFiveProcessPlane({
      perService: Object.fromEntries(
        serviceNames.map((name) => [name, { CERTPLANE_METRICS_ADDRESS: addresses.get(name) }]),
      ),
    });
    prometheus = await startPrometheus({ targets: [...addresses.values()] });
  });

  after(async () => {
    await prometheus?.dispose();
    await plane?.dispose();
    await pebble?.dispose();
  });

  const logs = () => plane.logs();

  test("Prometheus scrapes all five, and myapp-tls's gauges come from intake alone", async () => {
    await prometheus.waitFor('count(up{job="certplane"} == 1) == 5');
    try {
      await applySeedAndWait(plane.grpcServer);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${logs()}`);
    }
    const ready = await prometheus.waitFor(
      'certmanager_certificate_ready_status{name="myapp-tls",namespace="demo-apps",condition="True"} == 1',
    );
    assert.equal(ready[0]?.metric.instance, addresses.get("intake"));
    const instances = await prometheus.query("count by (instance) (certmanager_certificate_ready_status)");
    assert.deepEqual(
      instances.map((sample) => sample.metric.instance),
      [addresses.get("intake")],
    );
  });

  test("the reactors' sync calls are counted by the service that runs them", async () => {
    for (const service of ["intake", "signer", "secret-publisher", "renewal-scheduler"] as const) {
      await prometheus.waitFor(
        `sum(certmanager_controller_sync_call_count{instance="${addresses.get(service)}"}) > 0`,
      );
    }
    // Each service counts only its own appends: certificateRequest streams are the signer's.
    const requests = await prometheus.waitFor(
      'certplane_events_appended_total{category="certificateRequest"} > 0',
    );
    assert.deepEqual(
      requests.map((sample) => sample.metric.instance),
      [addresses.get("signer")],
    );
  });

  test("the acme-solver counts and times its ACME client's requests", async () => {
    const issuer = acmeClusterIssuerYaml(
      "pebble-metrics",
      pebble.directoryUrl,
      pebble.caPem,
      "      - http01: { ingress: { ingressClassName: nginx } }",
    );
    const applied = await withManifest(issuer, (file) => certctl(plane.grpcServer, "apply", "-f", file));
    assert.equal(applied.code, 0, applied.stderr);
    const solver = addresses.get("acme-solver");
    const host = new URL(pebble.directoryUrl).host;
    const posts = await prometheus.waitFor(
      `certmanager_http_acme_client_request_count{instance="${solver}",scheme="https",host="${host}",method="POST",status=~"2.."} > 0`,
    );
    assert.ok(posts.length > 0);
    await prometheus.waitFor(
      `certmanager_http_acme_client_request_duration_seconds_count{instance="${solver}",host="${host}"} > 0`,
    );
  });

  test("/readyz turns 503 naming the bus while nats-server is down, and 200 once it is back", async () => {
    const allReady = () =>
      Promise.all(
        [...addresses].map(([service, address]) =>
          eventually(
            `${service}'s /readyz to pass`,
            async () => ((await readyz(address)).status === 200 ? true : undefined),
            { timeoutMs: 60_000, onTimeout: logs },
          ),
        ),
      );
    await allReady();
    await plane.nats.stop();
    for (const [service, address] of addresses) {
      const down = await eventually(
        `${service}'s /readyz to fail with the bus down`,
        async () => {
          const answer = await readyz(address);
          return answer.status === 503 && /^\[-\]bus failed: disconnected from NATS/m.test(answer.body)
            ? answer
            : undefined;
        },
        { onTimeout: logs },
      );
      assert.match(down.body, /^readyz check failed$/m);
      assert.equal((await fetch(`http://${address}/livez`)).status, 200, `${service} is still alive`);
    }
    await plane.nats.restart();
    await allReady();
    for (const [service, address] of addresses) {
      const metrics = await (await fetch(`http://${address}/metrics`)).text();
      assert.match(metrics, /^certplane_nats_reconnects_total [1-9]/m, `${service} counted the reconnect`);
    }
  });
});

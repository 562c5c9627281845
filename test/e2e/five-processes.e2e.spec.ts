// The seed's four-layer chain through five separate service processes that talk only over a real
// nats-server (JetStream event store + NATS API), driven by certctl over gRPC and over NATS.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { JetStreamEventStore } from "@certplane/event-store";
import type { NatsServerHandle } from "@certplane/testing";
import { freePort, startNatsServer } from "@certplane/testing";
import { certctl } from "./support/certctl.ts";
import { applySeedAndWait, assertSeedChainFiles } from "./support/seed-chain.ts";
import type { ServiceProcess } from "./support/service-process.ts";
import { eventually, startServiceProcess } from "./support/service-process.ts";

const services = ["secret-publisher", "signer", "renewal-scheduler", "acme-solver", "intake"] as const;

describe("five service processes over NATS", () => {
  let nats: NatsServerHandle;
  let workDir: string;
  let grpcServer: string;
  const processes: ServiceProcess[] = [];
  const logs = () => processes.map((p) => `--- ${p.name}\n${p.output().slice(-3000)}`).join("\n");

  before(async () => {
    nats = await startNatsServer();
    workDir = await mkdtemp(join(tmpdir(), "certplane-e2e-"));
    const grpcAddress = `127.0.0.1:${await freePort()}`;
    grpcServer = `grpc://${grpcAddress}`;
    const env = {
      CERTPLANE_STORE: "jetstream",
      CERTPLANE_BUS: "nats",
      CERTPLANE_NATS_URL: nats.url,
      CERTPLANE_KEK: randomBytes(32).toString("base64"),
      CERTPLANE_DATA_DIR: join(workDir, "data"),
      CERTPLANE_SECRETS_DIR: join(workDir, "secrets"),
      CERTPLANE_GRPC_ADDRESS: grpcAddress,
      CERTPLANE_LOG_LEVEL: "warn",
    };
    for (const name of services) processes.push(startServiceProcess(name, env));
    await eventually(
      "intake to answer over gRPC",
      async () => {
        const result = await certctl(grpcServer, "get", "clusterissuers");
        return result.code === 0 ? true : undefined;
      },
      { timeoutMs: 60_000, onTimeout: logs },
    );
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await nats?.dispose();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  test("the seed's manifests, applied verbatim, give Ready certificates and verifiable files", async () => {
    try {
      await applySeedAndWait(grpcServer);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${logs()}`);
    }
    await assertSeedChainFiles(join(workDir, "secrets"));
  });

  test("certctl reaches the same control plane over NATS", async () => {
    const listed = await certctl(nats.url, "get", "certificates", "-A");
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /myapp-tls\s+True\s+myapp-tls-secret/);
  });

  test("re-applying the seed changes nothing", async () => {
    const again = await certctl(grpcServer, "apply", "-f", "examples/seed.yaml");
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /created|configured/);
    assert.match(again.stdout, /certificate\.cert-manager\.io\/myapp-tls unchanged/);
  });

  test("no event in JetStream contains a PEM private key", async () => {
    const store = await JetStreamEventStore.connect({ servers: nats.url });
    try {
      let text = "";
      let count = 0;
      let caughtUp!: () => void;
      const done = new Promise<void>((resolve) => {
        caughtUp = resolve;
      });
      const subscription = await store.subscribe({
        from: "start",
        onCaughtUp: () => caughtUp(),
        handler: async (event) => {
          count++;
          text += JSON.stringify({ type: event.type, data: event.data, metadata: event.metadata });
        },
      });
      await done;
      await subscription.stop();
      assert.ok(count > 10, `expected the seed's events, found ${count}`);
      assert.doesNotMatch(text, /PRIVATE KEY/);
    } finally {
      await store.close();
    }
  });
});

// The seed's four-layer chain through five separate service processes that talk only over a real
// nats-server (JetStream event store + NATS API), driven by certctl over gRPC and over NATS.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { JetStreamEventStore } from "@certplane/event-store";
import { certctl } from "./support/certctl.ts";
import type { FiveProcessPlane } from "./support/five-process-plane.ts";
import { startFiveProcessPlane } from "./support/five-process-plane.ts";
import { applySeedAndWait, assertSeedChainFiles } from "./support/seed-chain.ts";

describe("five service processes over NATS", () => {
  let plane: FiveProcessPlane;

  before(async () => {
    plane = await startFiveProcessPlane();
  });

  after(async () => {
    await plane?.dispose();
  });

  test("the seed's manifests, applied verbatim, give Ready certificates and verifiable files", async () => {
    try {
      await applySeedAndWait(plane.grpcServer);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${plane.logs()}`);
    }
    await assertSeedChainFiles(plane.secretsDir);
  });

  test("certctl reaches the same control plane over NATS", async () => {
    const listed = await certctl(plane.nats.url, "get", "certificates", "-A");
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /myapp-tls\s+True\s+myapp-tls-secret/);
  });

  test("re-applying the seed changes nothing", async () => {
    const again = await certctl(plane.grpcServer, "apply", "-f", "examples/seed.yaml");
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /created|configured/);
    assert.match(again.stdout, /certificate\.cert-manager\.io\/myapp-tls unchanged/);
  });

  test("no event in JetStream contains a PEM private key", async () => {
    const store = await JetStreamEventStore.connect({ servers: plane.nats.url });
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

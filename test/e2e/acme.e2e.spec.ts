// ACME HTTP-01 through the five service processes over NATS, against pebble resolving through bind9:
// the acme-solver process is SIGKILLed once its Challenge is presented and started again.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { JetStreamEventStore } from "@certplane/event-store";
import { type Bind9Handle, type PebbleHandle, startBind9, startPebble } from "@certplane/testing";
import { pebbleSiteYaml, verifyPublishedAgainstPebble, withManifest } from "./support/acme-fixtures.ts";
import { certctl, waitReady } from "./support/certctl.ts";
import type { FiveProcessPlane } from "./support/five-process-plane.ts";
import { startFiveProcessPlane } from "./support/five-process-plane.ts";
import { eventually } from "./support/service-process.ts";

interface Listed {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly status?: { readonly presented?: boolean; readonly state?: string };
}

async function list(server: string, kind: string): Promise<Listed[]> {
  const result = await certctl(server, "get", kind, "-A", "-o", "json");
  if (result.code !== 0) throw new Error(result.stderr);
  const parsed = JSON.parse(result.stdout);
  return parsed.items ?? parsed;
}

/** Every event of the challenge streams, by stream, read back from JetStream. */
async function challengeEvents(natsUrl: string): Promise<Map<string, string[]>> {
  const store = await JetStreamEventStore.connect({ servers: natsUrl });
  try {
    const byStream = new Map<string, string[]>();
    let caughtUp!: () => void;
    const done = new Promise<void>((resolve) => {
      caughtUp = resolve;
    });
    const subscription = await store.subscribe({
      from: "start",
      categories: ["challenge"],
      onCaughtUp: () => caughtUp(),
      handler: async (event) => {
        byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), event.type]);
      },
    });
    await done;
    await subscription.stop();
    return byStream;
  } finally {
    await store.close();
  }
}

describe("ACME through five processes, the acme-solver killed mid-order", () => {
  let bind: Bind9Handle;
  let pebble: PebbleHandle;
  let plane: FiveProcessPlane;

  before(async () => {
    bind = await startBind9({ zones: ["example.test"] });
    pebble = await startPebble({ dnsServer: bind.address });
    const responder = `127.0.0.1:${pebble.httpPort}`;
    plane = await startFiveProcessPlane({
      perService: {
        "acme-solver": {
          CERTPLANE_ACME_HTTP01_LISTEN: responder,
          CERTPLANE_ACME_HTTP01_SELF_CHECK_ADDRESS: responder,
          // Two self-checks 3 s apart: the Challenge stays presented long enough to be seen and killed,
          // even on a busy machine.
          CERTPLANE_ACME_SELF_CHECK_SUCCESSES: "2",
          CERTPLANE_ACME_SELF_CHECK_INTERVAL_MS: "3000",
          CERTPLANE_ACME_POLL_INTERVAL_MS: "100",
          CERTPLANE_ACME_RETRY_MIN_MS: "100",
          CERTPLANE_ACME_RETRY_MAX_MS: "1000",
        },
      },
    });
  });

  after(async () => {
    await plane?.dispose();
    await pebble?.dispose();
    await bind?.dispose();
  });

  test("the Certificate becomes Ready with one Order, no challenge run twice, and files that verify", async () => {
    const server = plane.grpcServer;
    const manifests = pebbleSiteYaml(pebble);
    const applied = await withManifest(manifests, (file) => certctl(server, "apply", "-f", file));
    assert.equal(applied.code, 0, applied.stderr);

    const solver = plane.processes.get("acme-solver");
    assert.ok(solver);
    const presented = await eventually(
      "a presented Challenge",
      async () => (await list(server, "challenges")).find((c) => c.status?.presented),
      { timeoutMs: 60_000, intervalMs: 50, onTimeout: plane.logs },
    );
    assert.equal(presented.status?.state, "pending", "killed before the server validated it");
    await solver.kill("SIGKILL");
    solver.restart();

    const waited = await waitReady(server, "site", "web");
    assert.equal(waited.code, 0, `${waited.stderr}\n${plane.logs()}`);

    const orders = await list(server, "orders");
    assert.equal(orders.length, 1, JSON.stringify(orders));
    const challenges = await list(server, "challenges");
    assert.equal(challenges.length, 1, JSON.stringify(challenges));
    assert.equal(challenges[0]?.status?.state, "valid");
    for (const [stream, types] of await challengeEvents(plane.nats.url)) {
      for (const step of [
        "ChallengeCreated",
        "ChallengePresented",
        "ChallengeAccepted",
        "ChallengeValidated",
      ]) {
        assert.equal(types.filter((t) => t === step).length, 1, `${stream}: ${types.join(", ")}`);
      }
    }

    const described = await certctl(server, "describe", "certificate", "site", "-n", "web");
    assert.equal(described.code, 0, described.stderr);
    const request = /site-1/;
    assert.match(described.stdout, request);
    assert.match(described.stdout, new RegExp(orders[0]?.metadata.name ?? "no order"));
    assert.match(described.stdout, new RegExp(challenges[0]?.metadata.name ?? "no challenge"));
    for (const shown of [
      /CertificateRequestIssued/,
      /OrderCreated/,
      /ChallengePresented/,
      /ChallengeValidated/,
    ]) {
      assert.match(described.stdout, shown);
    }

    const published = await verifyPublishedAgainstPebble(
      `${plane.secretsDir}/web/site-tls`,
      await pebble.rootPem(),
    );
    assert.match(published.verified, /leaf\.pem: OK/);
    assert.deepEqual(published.sans, ["DNS:site.example.test"]);
    assert.ok(published.keyMatches, "tls.key is the key of tls.crt");
  });
});

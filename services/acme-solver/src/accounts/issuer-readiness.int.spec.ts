import assert from "node:assert/strict";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { issuerDecider, issuerReadyCondition } from "@certplane/domain/model";
import { freePort, type PebbleHandle, startPebble } from "@certplane/testing";
import { SolverHarness } from "../testing/acme-solver-harness.ts";

const http01 = [{ http01: { ingress: {} } }];

/** A TCP relay to pebble on a port chosen before it listens: a server that comes back. */
function relay(port: number, target: number): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(target, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  server.on("close", () => {
    for (const socket of sockets) socket.destroy();
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

describe("ACME issuer readiness does not wait on other issuers", () => {
  let pebble: PebbleHandle;
  let proxy: Server | undefined;
  const harness = new SolverHarness();

  before(async () => {
    pebble = await startPebble();
    await harness.start({
      config: SolverHarness.pebbleConfig(pebble),
    });
  });
  after(async () => {
    await harness.stopAll();
    proxy?.close();
    await pebble?.dispose();
  });

  const readiness = (name: string, wanted?: "True" | "False") =>
    harness.until(
      async () => {
        const { state } = await harness.runner.load(`issuer-apps_${name}`, issuerDecider);
        if (state.status !== "active" || !state.readiness) return undefined;
        const ready = issuerReadyCondition(state);
        return wanted === undefined || ready.status === wanted ? ready : undefined;
      },
      10_000,
      `${name} readiness ${wanted ?? ""}`,
    );

  it("an unreachable server and a bad certificate are Ready=False and retried, while pebble's issuer becomes Ready", async () => {
    const refusedPort = await freePort();
    const pebblePort = Number(new URL(pebble.directoryUrl).port);
    await harness.applyIssuer("refused", {
      server: `https://127.0.0.1:${refusedPort}/dir`,
      caPem: pebble.caPem,
      solvers: http01,
    });
    // No caBundle: pebble's listener certificate is not trusted.
    await harness.applyIssuer("untrusted", { server: pebble.directoryUrl, solvers: http01 });
    await harness.applyIssuer("pebble", {
      server: pebble.directoryUrl,
      caPem: pebble.caPem,
      solvers: http01,
    });

    assert.equal((await readiness("pebble", "True")).reason, "ACMEAccountRegistered");
    const refused = await readiness("refused");
    assert.equal(refused.status, "False");
    assert.equal(refused.reason, "ErrRegisterACMEAccount");
    assert.match(refused.message, /ECONNREFUSED/);
    const untrusted = await readiness("untrusted");
    assert.equal(untrusted.reason, "ErrRegisterACMEAccount");
    assert.match(untrusted.message, /certificate/i);

    // The server comes up where the issuer points: the backoff retry registers without any new event.
    proxy = await relay(refusedPort, pebblePort);
    assert.equal((await readiness("refused", "True")).reason, "ACMEAccountRegistered");
  });

  it("a request approved before its issuer exists is ordered once the issuer appears and is Ready", async () => {
    const { stream } = await harness.request("early", "late-issuer", { dnsNames: ["early.example.test"] });
    const waiting = await harness.requestState(stream);
    assert.equal(waiting.status === "present" && waiting.phase, "pending");
    assert.equal(
      (await harness.orders()).filter((o) => o.status === "present" && o.meta.requestName === "early").length,
      0,
    );
    await harness.applyIssuer("late-issuer", {
      server: pebble.directoryUrl,
      caPem: pebble.caPem,
      solvers: http01,
    });
    const request = await harness.settled(stream);
    assert.equal(request.phase, "issued", JSON.stringify(request.conditions));
  });

  it("a request approved while its issuer is not Ready waits with cert-manager's reason and is ordered once it is", async () => {
    const refusedPort = await freePort();
    const pebblePort = Number(new URL(pebble.directoryUrl).port);
    await harness.applyIssuer("flaky", {
      server: `https://127.0.0.1:${refusedPort}/dir`,
      caPem: pebble.caPem,
      solvers: http01,
    });
    assert.equal((await readiness("flaky")).status, "False");
    const { stream } = await harness.request("patient", "flaky", { dnsNames: ["patient.example.test"] });
    const waiting = await harness.until(
      async () => {
        const state = await harness.requestState(stream);
        const ready =
          state.status === "present" ? state.conditions.find((c) => c.type === "Ready") : undefined;
        return ready?.message === "Referenced issuer does not have a Ready status condition"
          ? ready
          : undefined;
      },
      10_000,
      "request marked pending on the issuer",
    );
    assert.equal(waiting.reason, "Pending");
    assert.equal(
      (await harness.orders()).filter((o) => o.status === "present" && o.meta.requestName === "patient")
        .length,
      0,
    );
    const flakyProxy = await relay(refusedPort, pebblePort);
    try {
      const request = await harness.settled(stream);
      assert.equal(request.phase, "issued", JSON.stringify(request.conditions));
    } finally {
      flakyProxy.close();
    }
  });
});

// The listener as Prometheus and an orchestrator see it, over real HTTP, in front of a real
// (in-memory) event store; the clock is a fake, so lag is exact and nothing sleeps.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NewEvent } from "@certplane/domain";
import { MemoryEventStore } from "@certplane/event-store";
import { FakeClock, pollUntil } from "@certplane/testing";
import { ProcessObservability } from "./process-observability.ts";

const metadata = { correlationId: "c", causationId: "c", actor: "t", occurredAt: "2026-01-01T00:00:00Z" };
const event = (id: string, type = "T"): NewEvent => ({ id, type, schemaVersion: 1, data: {}, metadata });
const failLoudly = (error: unknown) => assert.fail(String(error));

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

/** A handler that holds each event until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, wait: () => opened };
}

describe("ProcessObservability", () => {
  it("is not ready until the service started and its subscriptions caught up, then is", async () => {
    const clock = new FakeClock();
    const inner = new MemoryEventStore({ clock });
    await inner.append("thing-a", [event("a")], "no_stream");
    const observability = new ProcessObservability({ address: "127.0.0.1:0", clock });
    const attached = await observability.attach(inner, failLoudly);
    try {
      const url = attached.url as string;
      const held = gate();
      const subscription = await attached.store.subscribe({
        name: "things",
        categories: ["thing"],
        handler: () => held.wait(),
      });
      const before = await get(`${url}/readyz`);
      assert.equal(before.status, 503);
      assert.match(before.body, /^\[-\]started failed: the service is still starting$/m);
      assert.match(before.body, /^\[\+\]store ok$/m);
      assert.match(before.body, /^\[\+\]bus ok$/m);
      assert.match(
        before.body,
        /^\[-\]subscriptions failed: things has not caught up with the events stored at its start$/m,
      );
      assert.equal((await get(`${url}/livez`)).status, 200, "alive while not ready");

      held.open();
      attached.started();
      const after = await pollUntil(
        async () => {
          const answer = await get(`${url}/readyz`);
          return answer.status === 200 && answer;
        },
        { what: "/readyz to answer 200" },
      );
      assert.match(after.body, /^\[\+\]subscriptions ok$/m);
      assert.match(after.body, /^readyz check passed$/m);
      await subscription.stop();
    } finally {
      await attached.stop();
    }
  });

  it("says which reactor is stuck on one event longer than the bound, and for how long", async () => {
    const clock = new FakeClock();
    const inner = new MemoryEventStore({ clock });
    const observability = new ProcessObservability({ address: "127.0.0.1:0", clock, maxLagMs: 30_000 });
    const attached = await observability.attach(inner, failLoudly);
    try {
      const url = attached.url as string;
      const held = gate();
      let delivered = false;
      const subscription = await attached.store.subscribe({
        name: "slow-reactor",
        categories: ["thing"],
        onCaughtUp: () => {},
        handler: async () => {
          delivered = true;
          await held.wait();
        },
      });
      attached.started();
      await pollUntil(async () => (await get(`${url}/readyz`)).status === 200, { what: "ready while idle" });
      await attached.store.append("thing-b", [event("b")], "no_stream");
      await pollUntil(() => delivered, { what: "the event to reach the reactor" });
      // Two more of its category and one of another wait behind the one it is on.
      await attached.store.append("thing-c", [event("c")], "no_stream");
      await attached.store.append("thing-d", [event("d")], "no_stream");
      await attached.store.append("other-e", [event("e")], "no_stream");
      clock.advance(45_000);

      const stuck = await get(`${url}/readyz`);
      assert.equal(stuck.status, 503);
      assert.match(
        stuck.body,
        /^\[-\]subscriptions failed: slow-reactor has been on one event for 45\.0 s \(bound 30 s\)$/m,
      );
      const metrics = (await get(`${url}/metrics`)).body;
      assert.match(metrics, /^certplane_reactor_lag_seconds\{reactor="slow-reactor"\} 45$/m);
      assert.match(metrics, /^certplane_reactor_lag_events\{reactor="slow-reactor"\} 3$/m);
      assert.match(metrics, /^certmanager_controller_sync_call_count\{controller="slow-reactor"\} 1$/m);
      assert.match(metrics, /^certplane_events_appended_total\{category="thing"\} 3$/m);
      assert.match(metrics, /^certmanager_clock_time_seconds_gauge 1767225645$/m);

      held.open();
      await pollUntil(async () => (await get(`${url}/readyz`)).status === 200, {
        what: "ready once handled",
      });
      const drained = await pollUntil(
        async () => {
          const body = (await get(`${url}/metrics`)).body;
          return /^certplane_reactor_lag_events\{reactor="slow-reactor"\} 0$/m.test(body) ? body : undefined;
        },
        { what: "the backlog to drain" },
      );
      assert.match(drained, /^certplane_reactor_lag_seconds\{reactor="slow-reactor"\} 0$/m);
      await subscription.stop();
    } finally {
      await attached.stop();
    }
  });

  it("reports the bus down from its disconnect until its reconnect, and counts the reconnect", async () => {
    const clock = new FakeClock("2026-03-01T10:00:00Z");
    const observability = new ProcessObservability({ address: "127.0.0.1:0", clock });
    const attached = await observability.attach(new MemoryEventStore({ clock }), failLoudly);
    try {
      const url = attached.url as string;
      attached.started();
      observability.onBusStatus("disconnected");
      const down = await get(`${url}/readyz`);
      assert.equal(down.status, 503);
      assert.match(
        down.body,
        /^\[-\]bus failed: disconnected from NATS since 2026-03-01T10:00:00\.000Z, reconnecting$/m,
      );
      observability.onBusStatus("reconnected");
      assert.equal((await get(`${url}/readyz`)).status, 200);
      assert.match((await get(`${url}/metrics`)).body, /^certplane_nats_reconnects_total 1$/m);
    } finally {
      await attached.stop();
    }
  });

  it("counts SecretPublicationFailed per SecretTarget as the publisher records them", async () => {
    const clock = new FakeClock();
    const observability = new ProcessObservability({ address: "127.0.0.1:0", clock });
    observability.countPublicationFailures();
    const attached = await observability.attach(new MemoryEventStore({ clock }), failLoudly);
    try {
      const stream = "publication-demo-apps_myapp-tls-secret:prod-cluster";
      await attached.store.append(stream, [event("f1", "SecretPublicationFailed")], "no_stream");
      await attached.store.append(stream, [event("p1", "SecretPublished")], "any");
      // A retried commit (same first event id) is stored once and counted once.
      await attached.store.append(stream, [event("f1", "SecretPublicationFailed")], "any");
      const metrics = (await get(`${attached.url}/metrics`)).body;
      assert.match(metrics, /^certplane_publication_failures_total\{target="prod-cluster"\} 1$/m);
      assert.match(metrics, /^certplane_events_appended_total\{category="publication"\} 2$/m);
    } finally {
      await attached.stop();
    }
  });

  it("refuses an address already taken, naming the variable that chose it", async () => {
    const clock = new FakeClock();
    const first = await new ProcessObservability({ address: "127.0.0.1:0", clock }).attach(
      new MemoryEventStore({ clock }),
      failLoudly,
    );
    try {
      const taken = new URL(first.url as string).host;
      await assert.rejects(
        new ProcessObservability({ address: taken, clock }).attach(
          new MemoryEventStore({ clock }),
          failLoudly,
        ),
        new RegExp(
          `cannot serve /metrics, /livez and /readyz on ${taken} \\(CERTPLANE_METRICS_ADDRESS\\): EADDRINUSE`,
        ),
      );
    } finally {
      await first.stop();
    }
  });

  it("with no address serves nothing and hands the service its own store", async () => {
    const store = new MemoryEventStore();
    const attached = await new ProcessObservability({ address: undefined, clock: new FakeClock() }).attach(
      store,
      failLoudly,
    );
    assert.equal(attached.store, store);
    assert.equal(attached.url, undefined);
    await attached.stop();
  });
});

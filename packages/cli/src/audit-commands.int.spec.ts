import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { HistoryRecord, HistoryResponse, ReplayResponse } from "@certplane/api";
import { FakeCertplaneApi } from "@certplane/api/testing";
import { runAgainst, testNow } from "./testing/cli-harness.ts";

const historyResponse: HistoryResponse = {
  revisions: [
    {
      revision: 1,
      requestName: "myapp-tls-1",
      trigger: "DoesNotExist",
      triggerMessage: "",
      triggeredAt: "2026-01-10T09:00:00Z",
      outcome: "issued",
    },
  ],
  events: [
    {
      time: "2026-01-10T09:00:00Z",
      object: "Certificate demo-apps/myapp-tls",
      event: "CertificateApplied",
      reason: "Applied",
      message: "Applied, generation 1",
      id: "e-1",
      stream: "certificate-demo-apps_myapp-tls",
      version: "0",
      position: "1",
      recordedAt: "2026-01-10T09:00:00Z",
      actor: "local:ünïcode",
      producer: "intake",
      correlationId: "c-1",
      causationId: "c-1",
    },
    {
      time: "2026-01-10T09:00:01Z",
      object: "Certificate demo-apps/myapp-tls",
      event: "IssuanceTriggered",
      reason: "ManuallyTriggered",
      message: "Certificate re-issuance manually triggered",
      id: "e-2",
      stream: "certificateIssuance-demo-apps_myapp-tls",
      version: "0",
      position: "2",
      recordedAt: "2026-01-10T09:00:01Z",
      actor: "x509:CN=ops",
      producer: "renewal-scheduler",
      correlationId: "c-2",
      causationId: "e-1",
      causeObject: "Certificate demo-apps/myapp-tls",
      causeEvent: "CertificateApplied",
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    },
  ],
};

const replayResponse: ReplayResponse = {
  at: "2026-01-10T09:00:00Z",
  items: [
    {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: "myapp-tls", namespace: "demo-apps" },
      status: { conditions: [{ type: "Ready", status: "True" }] },
    },
  ],
};

const lines = (text: string) => text.trimEnd().split("\n");
const cells = (line: string | undefined) => (line ?? "").trim().split(/\s{3,}/);
const scripted = () =>
  new FakeCertplaneApi({
    history: async () => historyResponse,
    get: async () => ({ items: [] }),
    describe: async () => {
      throw new Error("not called");
    },
    replay: async () => replayResponse,
  });

/** Exit code, the one stderr line, and that nothing reached the server. */
async function refused(argv: string[]): Promise<string> {
  const fake = scripted();
  const run = await runAgainst(fake, argv);
  assert.notEqual(run.code, 0, run.stdout);
  assert.equal(run.stdout, "");
  assert.equal(lines(run.stderr).length, 1, run.stderr);
  assert.deepEqual(fake.calls, []);
  return run.stderr.trimEnd();
}

describe("certctl history", () => {
  it("lists every event with actor, producer and cause, the old revision view behind --revisions", async () => {
    const fake = scripted();
    const run = await runAgainst(fake, ["history", "certificate", "myapp-tls", "-n", "demo-apps"]);
    assert.equal(run.code, 0, run.stderr);
    const [header, applied, triggered] = lines(run.stdout);
    assert.deepEqual(cells(header), ["TIME", "EVENT", "REASON", "ACTOR", "PRODUCER", "CAUSE", "MESSAGE"]);
    assert.deepEqual(cells(applied), [
      "2026-01-10T09:00:00Z",
      "CertificateApplied",
      "Applied",
      "local:ünïcode",
      "intake",
      "api call c-1",
      "Applied, generation 1",
    ]);
    assert.equal(cells(triggered)[5], "CertificateApplied of Certificate demo-apps/myapp-tls");
    assert.deepEqual(fake.callsTo("history"), [
      { kind: "Certificate", name: "myapp-tls", namespace: "demo-apps" },
    ]);

    const revisions = await runAgainst(fake, [
      "history",
      "cert",
      "myapp-tls",
      "-n",
      "demo-apps",
      "--revisions",
    ]);
    assert.match(lines(revisions.stdout)[0] ?? "", /^REVISION\s+REQUEST\s+TRIGGER/);
  });

  it("-o wide adds the object, trace id and correlation; --related and --correlation reach the server", async () => {
    const fake = scripted();
    const run = await runAgainst(fake, [
      "history",
      "certificate",
      "myapp-tls",
      "-n",
      "demo-apps",
      "--related",
      "--correlation",
      "c-2",
      "-o",
      "wide",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const [header, , triggered] = lines(run.stdout);
    assert.deepEqual(cells(header), [
      "TIME",
      "OBJECT",
      "EVENT",
      "REASON",
      "ACTOR",
      "PRODUCER",
      "CAUSE",
      "TRACE",
      "CORRELATION",
      "MESSAGE",
    ]);
    assert.equal(cells(triggered)[7], "0af7651916cd43dd8448eb211c80319c");
    assert.equal(cells(triggered)[8], "c-2");
    assert.deepEqual(fake.callsTo("history"), [
      { kind: "Certificate", name: "myapp-tls", namespace: "demo-apps", related: true, correlationId: "c-2" },
    ]);
  });

  it("-o json gives the full records; other kinds are asked for by their kind", async () => {
    const fake = scripted();
    const run = await runAgainst(fake, ["history", "clusterissuer", "demo-ca", "-o", "json"]);
    const { events } = JSON.parse(run.stdout) as { events: HistoryRecord[] };
    assert.deepEqual(events, historyResponse.events);
    assert.equal((fake.callsTo("history")[0] as { kind: string }).kind, "ClusterIssuer");
  });

  it("says so on stderr when a filter leaves no events", async () => {
    const empty: HistoryResponse = { revisions: [], events: [] };
    const fake = new FakeCertplaneApi({ history: async () => empty });
    const run = await runAgainst(fake, ["history", "order", "o-1", "-n", "demo-apps", "--correlation", "x"]);
    assert.equal(run.code, 0);
    assert.equal(run.stderr, "No events found for Order demo-apps/o-1.\n");
  });

  it("--follow prints what is there, then each newer event as the server's long-poll hands it over", async () => {
    const stop = new AbortController();
    const later = { ...historyResponse.events[1]!, id: "e-3", position: "7", event: "CertificateIssued" };
    const fake = new FakeCertplaneApi({
      history: async (request) => {
        if (request.afterPosition === undefined) return historyResponse;
        // The next call after the new event is where an interrupted certctl stops.
        stop.abort();
        return { revisions: [], events: request.afterPosition === "2" ? [later] : [] };
      },
    });
    const run = await runAgainst(
      fake,
      ["history", "certificate", "myapp-tls", "-n", "demo-apps", "--follow"],
      {
        signal: stop.signal,
      },
    );
    assert.equal(run.code, 0, run.stderr);
    const printed = lines(run.stdout);
    assert.equal(printed.filter((l) => l.startsWith("TIME")).length, 1, run.stdout);
    assert.deepEqual(
      printed.slice(1).map((l) => cells(l)[1]),
      ["CertificateApplied", "IssuanceTriggered", "CertificateIssued"],
    );
    assert.deepEqual(
      fake
        .callsTo("history")
        .map((r) => [(r as { afterPosition?: string }).afterPosition, (r as { waitMs?: number }).waitMs]),
      [
        [undefined, undefined],
        ["2", 5000],
      ],
    );
  });

  it("refuses bad input with one line naming the argument or flag", async () => {
    assert.match(
      await refused(["history", "widget", "x"]),
      /^error: unknown resource type "widget"; accepted: /,
    );
    assert.match(await refused(["history", "certificate"]), /^error: missing NAME/);
    assert.match(
      await refused(["history", "issuer", "x", "--related"]),
      /^error: --related follows a Certificate/,
    );
    assert.match(
      await refused(["history", "certificate", "x", "-o", "name"]),
      /^error: unknown output format "name" for -o/,
    );
    assert.match(
      await refused(["history", "certificate", "x", "--follow", "-o", "json"]),
      /^error: --follow prints/,
    );
  });
});

describe("certctl get, describe and replay --at", () => {
  it("sends an RFC 3339 instant as given, and a duration as that long before now", async () => {
    const fake = scripted();
    await runAgainst(fake, ["get", "certificates", "-n", "demo-apps", "--at", "2026-01-10T09:30:00+01:00"]);
    await runAgainst(fake, ["get", "certificates", "-n", "demo-apps", "--at", "1h30m"]);
    assert.deepEqual(
      fake.callsTo("get").map((request) => (request as { at?: string }).at),
      ["2026-01-10T08:30:00.000Z", new Date(testNow.getTime() - 90 * 60_000).toISOString()],
    );
  });

  it("replays the whole system at an instant as a List of manifests", async () => {
    const fake = scripted();
    const run = await runAgainst(fake, ["replay", "--at", "2h", "-o", "json"]);
    assert.equal(run.code, 0, run.stderr);
    const list = JSON.parse(run.stdout) as { kind: string; items: unknown[] };
    assert.equal(list.kind, "List");
    assert.deepEqual(list.items, replayResponse.items);
    assert.deepEqual(fake.callsTo("replay"), [
      { at: new Date(testNow.getTime() - 2 * 3_600_000).toISOString() },
    ]);
    const table = await runAgainst(fake, ["replay", "--at", "2026-01-10T09:00:00Z"]);
    assert.deepEqual(cells(lines(table.stdout)[1]), ["Certificate", "demo-apps", "myapp-tls", "True"]);
  });

  it("refuses a malformed --at, and replay without one, before asking the server", async () => {
    const malformed =
      /^error: --at: must be an RFC 3339 time like 2026-01-10T09:00:00Z or a duration ago like 2h or 90m, got "/;
    assert.match(await refused(["get", "certificates", "--at", "yesterday"]), malformed);
    assert.match(await refused(["describe", "certificate", "x", "--at", "2026-13-45T99:00:00Z"]), malformed);
    assert.match(await refused(["get", "certificates", "--at", "-2h"]), /^error: --at/);
    assert.match(await refused(["replay"]), /^error: missing --at; usage: certctl replay/);
    assert.match(
      await refused(["replay", "--at", "2h", "-o", "wide"]),
      /^error: unknown output format "wide"/,
    );
  });
});

// Issue 9's "done when": the seed chain, a manual renew, deleting myapp-tls; then its whole life is
// in `history --related`, and `get --at` shows the system as it was. One fake clock drives every
// service and stamps the store's commits, so "between renew and delete" is an exact instant.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { ResourceObject } from "@certplane/api";
import type { EmbeddedControlPlane } from "@certplane/control-plane";
import { startEmbeddedControlPlane } from "@certplane/control-plane";
import { parseHostConfig, silentLogger } from "@certplane/runtime";
import { FakeTimerClock } from "@certplane/runtime/testing";
import { certctl } from "./support/certctl.ts";
import { applySeedAndWait } from "./support/seed-chain.ts";
import { eventually } from "./support/service-process.ts";

type Status = {
  revision?: number;
  conditions?: { type: string; status: string; reason: string }[];
};
const ready = (object: ResourceObject) =>
  (object.status as Status).conditions?.find((c) => c.type === "Ready")?.status;

describe("audit: history and the past of a renewed, then deleted certificate", () => {
  const clock = new FakeTimerClock("2026-01-10T09:00:00Z");
  let workDir: string;
  let plane: EmbeddedControlPlane;
  let server: string;
  const beforeFirstApply = "2026-01-10T08:00:00.000Z";
  let betweenRenewAndDelete: string;

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), "certplane-audit-"));
    const settings = {
      CERTPLANE_DATA_DIR: join(workDir, "data"),
      CERTPLANE_SECRETS_DIR: join(workDir, "secrets"),
      CERTPLANE_ACME_HTTP01_LISTEN: "127.0.0.1:0",
      CERTPLANE_DASHBOARD_ADDRESS: "off",
    };
    plane = await startEmbeddedControlPlane({
      host: parseHostConfig(settings, { store: "sqlite", bus: "in-process" }),
      env: settings,
      grpcAddress: "127.0.0.1:0",
      logger: silentLogger,
      clock,
      timerClock: clock,
    });
    server = plane.apiUrl;

    await applySeedAndWait(server);
    // Ten minutes on: short-lived-cert (1h, renewBefore 30m) is not due yet, so nothing else moves.
    clock.advance(10 * 60_000);
    const renewed = await certctl(server, "renew", "myapp-tls", "-n", "demo-apps");
    assert.equal(renewed.code, 0, renewed.stderr);
    await eventually("myapp-tls to be Ready at revision 2", async () => {
      const got = await certctl(server, "get", "certificate", "myapp-tls", "-n", "demo-apps", "-o", "json");
      const object = JSON.parse(got.stdout || "{}") as ResourceObject;
      return (object.status as Status | undefined)?.revision === 2 && ready(object) === "True"
        ? true
        : undefined;
    });
    clock.advance(60_000);
    betweenRenewAndDelete = clock.now().toISOString();
    clock.advance(60_000);
    const deleted = await certctl(server, "delete", "certificate", "myapp-tls", "-n", "demo-apps");
    assert.equal(deleted.code, 0, deleted.stderr);
  });

  after(async () => {
    await plane?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  test("history --related shows both revisions with actors and causes, and survives the delete", async () => {
    const run = await certctl(server, "history", "certificate", "myapp-tls", "-n", "demo-apps", "--related");
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split("\n");
    assert.match(lines[0] ?? "", /^TIME\s+OBJECT\s+EVENT\s+REASON\s+ACTOR\s+PRODUCER\s+CAUSE\s+MESSAGE/);
    const me = `local:${userInfo().username}`;
    const line = (pattern: RegExp) => {
      const found = lines.find((l) => pattern.test(l));
      assert.ok(found, `no line matching ${pattern} in\n${run.stdout}`);
      return found;
    };
    assert.match(line(/CertificateApplied/), new RegExp(`${me}\\s+intake\\s+api call`));
    assert.match(
      line(/IssuanceTriggered\s+DoesNotExist/),
      /renewal-scheduler\s+CertificateApplied of Certificate demo-apps\/myapp-tls/,
    );
    assert.match(line(/IssuanceTriggered\s+ManuallyTriggered/), new RegExp(`${me}\\s+renewal-scheduler`));
    for (const request of ["myapp-tls-1", "myapp-tls-2"]) {
      assert.match(
        line(new RegExp(`CertificateRequest demo-apps/${request}\\s+CertificateRequestIssued`)),
        /signer/,
      );
    }
    assert.match(line(/Secret demo-apps\/myapp-tls-secret\s+SecretWritten/), /secret-publisher/);
    assert.match(line(/CertificateDeleted\s+Deleted/), new RegExp(`${me}\\s+intake`));
    assert.match(
      line(/myapp-tls-secret\s+SecretDeleted/),
      /CertificateDeleted of Certificate demo-apps\/myapp-tls/,
    );
    assert.equal(lines.filter((l) => /CertificateIssued\s+Issued/.test(l)).length, 2, run.stdout);

    const json = await certctl(
      server,
      "history",
      "certificate",
      "myapp-tls",
      "-n",
      "demo-apps",
      "-o",
      "json",
    );
    const { events } = JSON.parse(json.stdout) as { events: { position: string; id: string }[] };
    assert.ok(events.every((e) => e.id && e.position));

    const gone = await certctl(server, "get", "certificate", "myapp-tls", "-n", "demo-apps");
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /not found/);
  });

  test("get --at between renew and delete shows it Ready at revision 2", async () => {
    const run = await certctl(
      server,
      "get",
      "certificate",
      "myapp-tls",
      "-n",
      "demo-apps",
      "--at",
      betweenRenewAndDelete,
      "-o",
      "json",
    );
    assert.equal(run.code, 0, run.stderr);
    const object = JSON.parse(run.stdout) as ResourceObject;
    assert.equal((object.status as Status).revision, 2);
    assert.equal(ready(object), "True");

    const described = await certctl(
      server,
      "describe",
      "certificate",
      "myapp-tls",
      "-n",
      "demo-apps",
      "--at",
      betweenRenewAndDelete,
    );
    assert.equal(described.code, 0, described.stderr);
    assert.doesNotMatch(described.stdout, /CertificateDeleted/);

    const replay = await certctl(server, "replay", "--at", betweenRenewAndDelete, "-o", "json");
    assert.equal(replay.code, 0, replay.stderr);
    const { items } = JSON.parse(replay.stdout) as { items: ResourceObject[] };
    assert.ok(items.some((i) => i.kind === "Certificate" && i.metadata.name === "myapp-tls"));
    assert.ok(items.some((i) => i.kind === "ClusterIssuer" && i.metadata.name === "demo-ca-issuer"));
  });

  test("--at before the first apply shows nothing: one line naming the flag, non-zero exit", async () => {
    const run = await certctl(server, "get", "certificates", "-A", "--at", beforeFirstApply);
    assert.notEqual(run.code, 0);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /^error: at: no events before 2026-01-10T09:00:00\.000Z/);
    assert.equal(run.stderr.trimEnd().split("\n").length, 1);
  });
});

// Read models are disposable: what get, describe and history answer after a restart from a
// snapshot, after the snapshot is deleted, after a forced rebuild at start and after a live
// `certctl admin rebuild` equals what they answered before. The snapshot is only an optimisation, so every path must give the same answers.
import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CertplaneApi, ResourceKind } from "@certplane/api";
import type { EmbeddedControlPlane } from "@certplane/control-plane";
import { startEmbeddedControlPlane } from "@certplane/control-plane";
import { createLogger, parseHostConfig } from "@certplane/runtime";
import { certctl } from "./support/certctl.ts";
import { applySeedAndWait } from "./support/seed-chain.ts";

const kinds: readonly ResourceKind[] = [
  "Certificate",
  "CertificateRequest",
  "Issuer",
  "ClusterIssuer",
  "Secret",
  "Order",
  "Challenge",
  "SecretTarget",
];

/** Every answer a reader can get, with the parts that move with the wall clock taken out. */
async function answers(api: CertplaneApi) {
  const lists = await Promise.all(kinds.map((kind) => api.get({ kind, allNamespaces: true })));
  const history = await api.history({
    kind: "Certificate",
    name: "myapp-tls",
    namespace: "demo-apps",
    related: true,
  });
  const described = await api.describe({ kind: "Certificate", name: "myapp-tls", namespace: "demo-apps" });
  return JSON.parse(
    JSON.stringify({ lists, history, described }, (key, value) => (key === "age" ? undefined : value)),
  ) as unknown;
}

describe("read models rebuilt from events, with and without a snapshot", () => {
  let workDir: string;
  let logLines: string[];
  let plane: EmbeddedControlPlane | undefined;

  const start = async (extra: Record<string, string> = {}) => {
    logLines = [];
    const settings = {
      CERTPLANE_DATA_DIR: join(workDir, "data"),
      CERTPLANE_SECRETS_DIR: join(workDir, "secrets"),
      CERTPLANE_ACME_HTTP01_LISTEN: "127.0.0.1:0",
      CERTPLANE_DASHBOARD_ADDRESS: "off",
      ...extra,
    };
    plane = await startEmbeddedControlPlane({
      host: parseHostConfig(settings, { store: "sqlite", bus: "in-process" }),
      env: settings,
      grpcAddress: "127.0.0.1:0",
      logger: createLogger({ service: "test", write: (line) => logLines.push(line) }),
    });
    return plane;
  };
  const stop = async () => {
    await plane?.stop();
    plane = undefined;
  };
  const said = (message: string) => logLines.some((line) => line.includes(message));
  const snapshotFile = () => join(workDir, "data", "snapshots", "intake-read-models.jsonl");

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), "certplane-snapshots-"));
  });
  after(async () => {
    await stop();
    await rm(workDir, { recursive: true, force: true });
  });

  test("a restart from the snapshot, without it, and a forced rebuild all answer as before", async () => {
    const first = await start();
    await applySeedAndWait(first.apiUrl);
    const renewed = await certctl(first.apiUrl, "renew", "myapp-tls", "-n", "demo-apps");
    assert.equal(renewed.code, 0, renewed.stderr);
    const { code } = await certctl(
      first.apiUrl,
      "wait",
      "certificate",
      "myapp-tls",
      "-n",
      "demo-apps",
      "--for=condition=Ready",
      "--timeout=60s",
    );
    assert.equal(code, 0);
    await waitQuiet(first.api);
    const before = await answers(first.api);
    await stop();
    assert.ok((await stat(snapshotFile())).size > 0, "a snapshot was written on stop");

    const fromSnapshot = await start();
    assert.ok(said("read models restored from a snapshot"), logLines.join("\n"));
    assert.deepEqual(await answers(fromSnapshot.api), before);
    await stop();

    await rm(snapshotFile());
    const withoutSnapshot = await start();
    assert.ok(said("folding the read models from every event"));
    assert.deepEqual(await answers(withoutSnapshot.api), before);
    await stop();

    const rebuilt = await start({ CERTPLANE_REBUILD_READ_MODELS: "true" });
    assert.ok(said("folding the read models from every event"));
    assert.ok(!said("restored from a snapshot"));
    assert.deepEqual(await answers(rebuilt.api), before);

    // A live rebuild: a history long-poll waiting on the old read models answers at the swap.
    const waiting = rebuilt.api.history({
      kind: "Certificate",
      name: "myapp-tls",
      namespace: "demo-apps",
      afterPosition: "999999999",
      waitMs: 20_000,
    });
    const live = await certctl(rebuilt.apiUrl, "admin", "rebuild");
    assert.equal(live.code, 0, live.stderr);
    assert.match(
      live.stdout,
      /^read models rebuilt from [\d,]+ events \(through position \d+\) in [\d.]+s; answering from them now\n$/,
    );
    assert.match(live.stderr, /rebuilding read models \[#{30}\] 100%/);
    assert.ok(said("read models: rebuilt from every event and answering"));
    assert.deepEqual(await answers(rebuilt.api), before);
    // It was released by the swap, well before its own 20 s were up.
    const guard = new Promise<"still waiting">((resolve) =>
      setTimeout(resolve, 10_000, "still waiting").unref(),
    );
    assert.notEqual(await Promise.race([waiting, guard]), "still waiting");
  });
});

/**
 * The renewal's last events (scheduling, cleanup of old requests) land a moment after Ready: wait,
 * on the history long-poll, until three seconds pass with no new event of the certificate's life.
 */
async function waitQuiet(api: CertplaneApi): Promise<void> {
  const ref = { kind: "Certificate", name: "myapp-tls", namespace: "demo-apps", related: true } as const;
  let last = (await api.history(ref)).events.at(-1)?.position;
  for (;;) {
    const newer = await api.history({ ...ref, ...(last ? { afterPosition: last } : {}), waitMs: 3_000 });
    if (newer.events.length === 0) return;
    last = newer.events.at(-1)?.position;
  }
}

// Drift of published files, end to end inside the publisher: a file SecretTarget's copy edited on
// disk is put back and recorded as a SecretPublished, exactly as a Kubernetes copy is; the
// configured secrets directory is put back from the secret's stored state.
import assert from "node:assert/strict";
import { mkdtemp, readFile, readlink, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { secretDecider, streams } from "@certplane/domain/model";
import { silentLogger } from "@certplane/runtime";
import { FakeTimerClock } from "@certplane/runtime/testing";
import { pollUntil } from "@certplane/testing";
import { FileSecretTarget } from "../adapters/file-secret-target.ts";
import { mirrorSecret } from "../handlers/secret-changed.ts";
import { PublisherHarness } from "../testing/publisher-harness.ts";
import { type MirroredFileDrift, restoreMirroredFileDrift } from "./mirrored-file-drift.ts";
import { TargetPublishing } from "./target-publishing.ts";

const certificatePem = "-----BEGIN CERTIFICATE-----\nissued\n-----END CERTIFICATE-----\n";

/** A Certificate `web` and its issued Secret `web-tls`, as the publisher would have written it. */
async function issuedSecret(h: PublisherHarness): Promise<void> {
  await h.applyCertificate("web", {
    secretName: "web-tls",
    dnsNames: ["web.example.com"],
    issuerRef: { name: "ca" },
  });
  await h.ctx.runner.execute(
    streams.secret(h.namespace, "web-tls"),
    secretDecider,
    {
      type: "WriteSecret",
      name: "web-tls",
      namespace: h.namespace,
      owner: { kind: "Certificate", name: "web", uid: "uid-web" },
      content: {
        type: "kubernetes.io/tls",
        data: { "tls.crt": certificatePem, "ca.crt": "ca\n" },
        sealedData: {},
      },
      now: h.now(),
    },
    h.userContext(),
  );
}

const waitFor = <T>(what: string, probe: () => Promise<T | undefined>) =>
  pollUntil(probe, { what, timeoutMs: 10_000 });

describe("a file SecretTarget's copy changed on disk", () => {
  let h: PublisherHarness;
  let directory: string;
  let publishing: TargetPublishing;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "certplane-file-target-"));
    h = new PublisherHarness();
    await issuedSecret(h);
    await h.applyFileTarget("files", directory);
    publishing = new TargetPublishing({
      store: h.store,
      ctx: h.ctx,
      clock: new FakeTimerClock(),
      logger: silentLogger,
      clusterResourceNamespace: "cert-manager",
    });
    await publishing.start();
  });
  afterEach(async () => {
    await publishing.stop();
    await rm(directory, { recursive: true, force: true, maxRetries: 3 });
  });

  const published = () =>
    h
      .allEvents()
      .filter(
        (event) =>
          event.stream === streams.publication(h.namespace, "web-tls", "files") &&
          event.type === "SecretPublished",
      );

  test("is put back and recorded as SecretPublished, as a Kubernetes copy is", async () => {
    const crt = join(directory, h.namespace, "web-tls", "tls.crt");
    await waitFor("the first publication", async () => (published().length === 1 ? true : undefined));
    assert.equal(await readFile(crt, "utf8"), certificatePem);

    await writeFile(crt, "tampered");
    await waitFor("the restore to be recorded", async () => (published().length === 2 ? true : undefined));
    assert.equal(await readFile(crt, "utf8"), certificatePem);
    await publishing.idle();
    assert.equal(published().length, 2, "one restore, one record");
  });
});

describe("the configured secrets directory changed on disk", () => {
  let h: PublisherHarness;
  let secretsDir: string;
  let drift: { stop(): Promise<void> };

  beforeEach(async () => {
    secretsDir = await mkdtemp(join(tmpdir(), "certplane-secrets-"));
    h = new PublisherHarness([new FileSecretTarget({ secretsDir })]);
    await issuedSecret(h);
    await mirrorSecret(h.ctx, streams.secret(h.namespace, "web-tls"));
    drift = restoreMirroredFileDrift({
      ctx: h.ctx,
      clock: new FakeTimerClock(),
      logger: silentLogger,
      secretStreams: () => [],
    });
  });
  afterEach(async () => {
    await drift.stop();
    await rm(secretsDir, { recursive: true, force: true, maxRetries: 3 });
  });

  test("is put back from the secret's stored state", async () => {
    const dir = join(secretsDir, h.namespace, "web-tls");
    await unlink(join(dir, "ca.crt"));
    await writeFile(join(dir, "tls.crt"), "tampered");
    await waitFor("the files restored", async () => {
      const crt = await readFile(join(dir, "tls.crt"), "utf8").catch(() => undefined);
      const ca = await readFile(join(dir, "ca.crt"), "utf8").catch(() => undefined);
      return crt === certificatePem && ca === "ca\n" ? true : undefined;
    });
  });
});

describe("the configured secrets directory changed while the publisher was down", () => {
  let h: PublisherHarness;
  let secretsDir: string;
  let restarted: MirroredFileDrift | undefined;

  beforeEach(async () => {
    secretsDir = await mkdtemp(join(tmpdir(), "certplane-secrets-"));
    h = new PublisherHarness([new FileSecretTarget({ secretsDir })]);
    await issuedSecret(h);
    await mirrorSecret(h.ctx, streams.secret(h.namespace, "web-tls"));
  });
  afterEach(async () => {
    await restarted?.stop();
    await rm(secretsDir, { recursive: true, force: true, maxRetries: 3 });
  });

  /** A new process: a target that has written nothing yet, over the same directory and store. */
  const restart = () => {
    const target = new FileSecretTarget({ secretsDir });
    restarted = restoreMirroredFileDrift({
      ctx: { ...h.ctx, targets: [target] },
      clock: new FakeTimerClock(),
      logger: silentLogger,
      secretStreams: () => [streams.secret(h.namespace, "web-tls")],
    });
    return restarted;
  };

  test("is put back at start, and watched from then on", async () => {
    const dir = join(secretsDir, h.namespace, "web-tls");
    await writeFile(join(dir, "tls.crt"), "tampered while down");
    await unlink(join(dir, "ca.crt"));

    await restart().idle();
    assert.equal(await readFile(join(dir, "tls.crt"), "utf8"), certificatePem);
    assert.equal(await readFile(join(dir, "ca.crt"), "utf8"), "ca\n");

    await writeFile(join(dir, "tls.crt"), "tampered after the restart");
    await waitFor("the second restore", async () =>
      (await readFile(join(dir, "tls.crt"), "utf8").catch(() => undefined)) === certificatePem
        ? true
        : undefined,
    );
  });

  test("leaves files that still hold the stored version as they are", async () => {
    const link = join(secretsDir, h.namespace, "web-tls");
    const before = await readlink(link);
    await restart().idle();
    assert.equal(await readlink(link), before, "no new version directory was linked");
  });
});

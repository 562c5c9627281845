import assert from "node:assert/strict";
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  unlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { Logger } from "@certplane/runtime";
import { FakeTimerClock } from "@certplane/runtime/testing";
import { pollUntil } from "@certplane/testing";
import type { PublishedSecret } from "../secrets/secret-target.ts";
import { FileSecretTarget } from "./file-secret-target.ts";
import { type WatchDirectory, watchFileSecretDrift } from "./file-secret-target-drift.ts";
import type { ObservedCopy } from "./kubernetes-drift-watch.ts";

const PAUSE_MS = 30_000;

const stored: PublishedSecret = {
  namespace: "apps",
  name: "web-tls",
  type: "kubernetes.io/tls",
  data: { "tls.crt": "-----BEGIN CERTIFICATE-----\nleaf\n-----END CERTIFICATE-----\n", "ca.crt": "ca\n" },
  secretData: { "tls.key": "-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n" },
  labels: {},
  annotations: {},
  owner: { kind: "Certificate", name: "web", uid: "uid-web" },
};

interface LogLine {
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

function recordingLogger(lines: LogLine[]): Logger {
  const log = (message: string, fields: Record<string, unknown> = {}) => lines.push({ message, fields });
  const logger: Logger = { debug: log, info: log, warn: log, error: log, child: () => logger };
  return logger;
}

const neverFires: WatchDirectory = () => ({ close() {} });

/**
 * A target with one published secret, watched for drift; each report is answered the way the
 * publisher answers it, by writing the stored secret again.
 */
function driftFixture(options: { watchDirectory?: WatchDirectory } = {}) {
  const clock = new FakeTimerClock();
  const logs: LogLine[] = [];
  const reports: ObservedCopy[] = [];
  let secretsDir = "";
  let target!: FileSecretTarget;
  let watch: { stop(): void } | undefined;
  const restores: Promise<void>[] = [];
  return {
    clock,
    logs,
    reports,
    get dir() {
      return join(secretsDir, "apps", "web-tls");
    },
    get nsDir() {
      return join(secretsDir, "apps");
    },
    async start() {
      secretsDir = await mkdtemp(join(tmpdir(), "certplane-drift-"));
      target = new FileSecretTarget({ secretsDir });
      await target.write(stored);
      watch = watchFileSecretDrift({
        target,
        logger: recordingLogger(logs),
        pause: (signal) => clock.sleepUntil(new Date(clock.now().getTime() + PAUSE_MS), signal),
        onObserved: (copy) => {
          reports.push(copy);
          restores.push(target.write(stored).then(() => undefined));
        },
        ...options,
      });
      await this.fullPass();
    },
    /** Lets the periodic comparison run once and waits until it is done (it waits on the clock again). */
    async fullPass() {
      if (clock.pendingSleeps > 0) clock.advance(PAUSE_MS);
      await pollUntil(async () => (clock.pendingSleeps > 0 ? true : undefined), {
        what: "the full comparison to finish",
        timeoutMs: 5_000,
      });
      await Promise.all(restores);
    },
    async restored(what: string) {
      await pollUntil(
        async () => {
          await Promise.all(restores);
          const crt = await readFile(join(this.dir, "tls.crt"), "utf8").catch(() => undefined);
          const key = await readFile(join(this.dir, "tls.key"), "utf8").catch(() => undefined);
          const ca = await readFile(join(this.dir, "ca.crt"), "utf8").catch(() => undefined);
          return crt === stored.data["tls.crt"] &&
            key === stored.secretData["tls.key"] &&
            ca === stored.data["ca.crt"]
            ? true
            : undefined;
        },
        { what, timeoutMs: 5_000 },
      );
    },
    async stop() {
      watch?.stop();
      await Promise.all(restores);
      await rm(secretsDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

describe("file target drift, seen by fs.watch", () => {
  let f: ReturnType<typeof driftFixture>;
  beforeEach(async () => {
    f = driftFixture();
    await f.start();
  });
  afterEach(async () => {
    await f.stop();
  });

  test("an edited tls.crt is put back with the stored content, and the restore is logged with its path", async () => {
    await writeFile(join(f.dir, "tls.crt"), "tampered");
    await f.restored("tls.crt restored");
    assert.deepEqual(f.reports, [{ sourceNamespace: "apps", namespace: "apps", name: "web-tls" }]);
    const line = f.logs.find((l) => l.message.startsWith("published files changed on disk"));
    assert.equal(line?.fields.path, f.dir);
    assert.equal(line?.fields.drift, "tls.crt was changed");
    assert.ok(!JSON.stringify(f.logs).includes("PRIVATE KEY"), "logs never carry file content");
  });

  test("a deleted tls.key is put back, mode 0600", async () => {
    await unlink(join(f.dir, "tls.key"));
    await f.restored("tls.key restored");
    assert.equal((await stat(join(f.dir, "tls.key"))).mode & 0o777, 0o600);
  });

  test("a directory put in place of the published one is moved aside and the published version linked back", async () => {
    await rm(f.dir, { recursive: true });
    await mkdir(f.dir);
    await writeFile(join(f.dir, "tls.crt"), "someone else's");
    await f.restored("the directory restored");
    assert.ok((await lstat(f.dir)).isSymbolicLink());
    const aside = (await readdir(f.nsDir)).filter((name) => name.startsWith(".web-tls.displaced-"));
    assert.equal(aside.length, 1, "the replacement is kept, not deleted");
    assert.equal(await readFile(join(f.nsDir, aside[0]!, "web-tls", "tls.crt"), "utf8"), "someone else's");
  });

  test("a file the target never wrote is left alone and reports nothing", async () => {
    await writeFile(join(f.dir, "notes.txt"), "mine");
    await writeFile(join(f.nsDir, "README"), "also mine");
    await f.fullPass();
    assert.deepEqual(f.reports, []);
    assert.equal(await readFile(join(f.dir, "notes.txt"), "utf8"), "mine");
    assert.equal(await readFile(join(f.nsDir, "README"), "utf8"), "also mine");
  });

  test("the target's own rewrite of a new version is not drift", async () => {
    await f.fullPass();
    assert.deepEqual(f.reports, []);
  });
});

describe("file target drift when fs.watch misses the change", () => {
  let f: ReturnType<typeof driftFixture>;
  beforeEach(async () => {
    f = driftFixture({ watchDirectory: neverFires });
    await f.start();
  });
  afterEach(async () => {
    await f.stop();
  });

  test("the periodic full comparison on the clock finds an edit, a removal and a chmod", async () => {
    await writeFile(join(f.dir, "ca.crt"), "tampered");
    await f.fullPass();
    assert.equal(f.reports.length, 1, "nothing before the clock moves, then one report");
    await f.restored("ca.crt restored");

    await rm(join(f.nsDir, "web-tls"));
    await f.fullPass();
    await f.restored("the removed link restored");

    await chmod(join(f.dir, "tls.key"), 0o644);
    await f.fullPass();
    await f.restored("tls.key restored");
    assert.equal((await stat(join(f.dir, "tls.key"))).mode & 0o777, 0o600);
    assert.equal(f.reports.length, 3);
  });
});

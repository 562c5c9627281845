import assert from "node:assert/strict";
import { lstat, mkdtemp, readdir, readFile, readlink, realpath, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { PublishedSecret, SecretRef } from "../secrets/secret-target.ts";
import type { SecretValue } from "../secrets/secret-values.ts";
import { binarySecretKeys } from "../secrets/secret-values.ts";
import { FileSecretTarget } from "./file-secret-target.ts";
import { secretTargetContract } from "./secret-target-contract.ts";

const METADATA_FILE = "metadata.json";

async function readFileSecret(secretsDir: string, ref: SecretRef): Promise<PublishedSecret | undefined> {
  const dir = join(secretsDir, ref.namespace, ref.name);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  const data: Record<string, string> = {};
  const secretData: Record<string, SecretValue> = {};
  for (const name of names.filter((n) => n !== METADATA_FILE)) {
    const path = join(dir, name);
    const mode = (await stat(path)).mode & 0o777;
    const bytes = await readFile(path);
    if (mode !== 0o600) data[name] = bytes.toString("utf8");
    else secretData[name] = binarySecretKeys.has(name) ? bytes : bytes.toString("utf8");
  }
  const metadata = JSON.parse(await readFile(join(dir, METADATA_FILE), "utf8")) as Pick<
    PublishedSecret,
    "type" | "labels" | "annotations" | "owner"
  >;
  return { ...ref, ...metadata, data, secretData };
}

async function tempDir(): Promise<string> {
  return await mkdtemp(join(tmpdir(), "certplane-secrets-"));
}

secretTargetContract({
  kind: "file",
  fixture: async () => {
    const secretsDir = await tempDir();
    return {
      target: new FileSecretTarget({ secretsDir }),
      read: (ref) => readFileSecret(secretsDir, ref),
      dispose: () => rm(secretsDir, { recursive: true, force: true }),
    };
  },
});

function pair(serial: number, ref: SecretRef): PublishedSecret {
  // Large enough that a file is written in several chunks, so a torn write would be visible.
  const padding = "x".repeat(64 * 1024);
  return {
    ...ref,
    type: "kubernetes.io/tls",
    data: { "tls.crt": `cert ${serial}\n${padding}\nend ${serial}\n` },
    secretData: { "tls.key": `key ${serial}\n${padding}\nend ${serial}\n` },
    labels: {},
    annotations: {},
    owner: { kind: "Certificate", name: ref.name, uid: "uid-1" },
  };
}

describe("FileSecretTarget on disk", () => {
  let secretsDir: string;
  const ref: SecretRef = { namespace: "apps", name: "web-tls" };

  before(async () => {
    secretsDir = await tempDir();
  });
  after(async () => {
    await rm(secretsDir, { recursive: true, force: true });
  });

  test("publishes a symlink to one versioned directory with a 0600 key and metadata.json", async () => {
    const target = new FileSecretTarget({ secretsDir });
    const secret = pair(1, ref);
    await target.write(secret);
    await target.write(pair(2, ref));

    const link = join(secretsDir, "apps", "web-tls");
    assert.ok((await lstat(link)).isSymbolicLink());
    const version = await readlink(link);
    assert.match(version, /^\.web-tls\.[A-Za-z0-9]{6}$/);
    assert.deepEqual(await readdir(join(secretsDir, "apps")), [version, "web-tls"].sort());
    assert.equal((await stat(join(link, "tls.key"))).mode & 0o777, 0o600);
    assert.equal((await stat(join(link, "tls.crt"))).mode & 0o777, 0o644);
    assert.equal(await readFile(join(link, "tls.key"), "utf8"), pair(2, ref).secretData["tls.key"]);
    assert.deepEqual(JSON.parse(await readFile(join(link, METADATA_FILE), "utf8")), {
      type: "kubernetes.io/tls",
      labels: {},
      annotations: {},
      owner: { kind: "Certificate", name: "web-tls", uid: "uid-1" },
    });
  });

  test("two publishers writing one secret in one directory at once leave it whole, in one version", async () => {
    // Two targets have two in-process queues: only the lock on the directory orders them, as it
    // orders two processes sharing the directory.
    const [first, second] = [new FileSecretTarget({ secretsDir }), new FileSecretTarget({ secretsDir })];
    const shared: SecretRef = { namespace: "shared", name: "web-tls" };
    const link = join(secretsDir, "shared", "web-tls");
    for (let round = 0; round < 25; round++) {
      await Promise.all([first.write(pair(round, shared)), second.write(pair(round + 1000, shared))]);
      const crt = await readFile(join(link, "tls.crt"), "utf8");
      const key = await readFile(join(link, "tls.key"), "utf8");
      assert.match(crt, /^cert (\d+)\n/);
      assert.equal(key.replace(/^key/, "cert"), crt, `round ${round}: tls.key and tls.crt of one write`);
      const versions = (await readdir(join(secretsDir, "shared"))).filter((n) => n.startsWith(".web-tls."));
      assert.deepEqual(versions, [await readlink(link)], `round ${round}`);
    }
  });

  test("a reader resolving the path during rewrites always sees a whole, matching pair", async () => {
    const target = new FileSecretTarget({ secretsDir });
    const atomic: SecretRef = { namespace: "atomic", name: "web-tls" };
    await target.write(pair(0, atomic));
    const link = join(secretsDir, "atomic", "web-tls");
    let writing = true;
    let consistentReads = 0;

    const reader = async () => {
      while (writing) {
        let crt: string;
        let key: string;
        try {
          const resolved = await realpath(link);
          crt = await readFile(join(resolved, "tls.crt"), "utf8");
          key = await readFile(join(resolved, "tls.key"), "utf8");
        } catch (error) {
          // The version resolved a moment ago was already replaced and removed: resolve again.
          if ((error as { code?: string }).code === "ENOENT") continue;
          throw error;
        }
        const serial = /^cert (\d+)\n/.exec(crt)?.[1];
        assert.ok(serial !== undefined, "tls.crt is whole");
        assert.equal(crt, pair(Number(serial), atomic).data["tls.crt"]);
        assert.equal(key, pair(Number(serial), atomic).secretData["tls.key"], "tls.key matches tls.crt");
        consistentReads++;
      }
    };
    const writer = async () => {
      try {
        for (let serial = 1; serial <= 40; serial++) await target.write(pair(serial, atomic));
      } finally {
        writing = false;
      }
    };
    await Promise.all([reader(), writer()]);

    assert.ok(consistentReads > 0, "the reader completed reads while rewrites ran");
    assert.equal(await readFile(join(link, "tls.crt"), "utf8"), pair(40, atomic).data["tls.crt"]);
    assert.equal((await readdir(join(secretsDir, "atomic"))).length, 2, "old versions are removed");
  });

  test("delete removes the symlink and its versioned directory", async () => {
    const target = new FileSecretTarget({ secretsDir });
    const doomed: SecretRef = { namespace: "doomed", name: "web-tls" };
    const kept: SecretRef = { namespace: "doomed", name: "web-tls.kept" };
    await target.write(pair(1, doomed));
    await target.write(pair(1, kept));
    await target.delete(doomed);
    const keptVersion = await readlink(join(secretsDir, "doomed", "web-tls.kept"));
    assert.deepEqual(
      (await readdir(join(secretsDir, "doomed"))).sort(),
      [keptVersion, "web-tls.kept"].sort(),
    );
  });
});

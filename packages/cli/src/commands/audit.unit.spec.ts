import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { ChainedEventStore, SqliteEventStore } from "@certplane/event-store";
import Database from "better-sqlite3";
import { runCertctl } from "../testing/cli-harness.ts";

let dir: string;
let db: string;
let keyFile: string;
let publicKeyFile: string;
let privatePem: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "certctl-audit-"));
  db = join(dir, "events.sqlite");
  const keys = generateKeyPairSync("ed25519");
  privatePem = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  keyFile = join(dir, "audit.key");
  publicKeyFile = join(dir, "audit.pub");
  await writeFile(keyFile, privatePem, { mode: 0o600 });
  await writeFile(publicKeyFile, keys.publicKey.export({ type: "spki", format: "pem" }).toString());
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function event(type: string) {
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data: { type },
    metadata: { correlationId: "c", causationId: "c", actor: "test", occurredAt: "2026-01-01T00:00:00.000Z" },
  };
}

async function seed(stream: string, count: number): Promise<void> {
  const store = new ChainedEventStore(new SqliteEventStore({ path: db, synchronous: "NORMAL" }));
  try {
    let expected: "no_stream" | bigint = "no_stream";
    for (let i = 0; i < count; i++)
      expected = (await store.append(stream, [event(`E${i}`)], expected)).version;
  } finally {
    await store.close();
  }
}

function sql(statement: string, ...params: unknown[]): void {
  const handle = new Database(db);
  try {
    handle.prepare(statement).run(...params);
  } finally {
    handle.close();
  }
}

const store = () => `--store=sqlite:${db}`;

describe("certctl audit", () => {
  test("verify passes a clean store, with progress on stderr", async () => {
    await seed("certificate-demo_a", 3);
    const run = await runCertctl(["audit", "verify", store()]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /verified 1 streams, 3 events, 0 checkpoint\(s\): no event altered, removed or reordered/,
    );
    assert.match(run.stderr, /audit: opening the sqlite event store/);
    assert.match(run.stderr, /audit: verified 1 streams, 3 events/);
  });

  test("verify names an edited and a deleted row and exits non-zero", async () => {
    await seed("certificate-demo_a", 3);
    await seed("certificate-demo_b", 3);
    sql(
      `UPDATE events SET data = json('{"type":"forged"}') WHERE stream = ? AND revision = 1`,
      "certificate-demo_a",
    );
    sql("DELETE FROM events WHERE stream = ? AND revision = 0", "certificate-demo_b");
    const run = await runCertctl(["audit", "verify", store()]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^altered: certificate-demo_a revision 1 event \S+: .*was altered/m);
    assert.match(
      run.stdout,
      /^removed: certificate-demo_b revision 0 event \S+: the event at revision 0 was removed/m,
    );
    assert.match(run.stdout, /2 problem\(s\) in 2 streams/);
  });

  test("checkpoint signs the heads; a tail removed later, and an edited checkpoint file, are named", async () => {
    await seed("certificate-demo_a", 4);
    const out = join(dir, "checkpoints");
    const signed = await runCertctl(["audit", "checkpoint", `--key=${keyFile}`, `--out=${out}`, store()]);
    assert.equal(signed.code, 0, signed.stderr);
    assert.match(
      signed.stdout,
      /checkpoint .*checkpoint-2026-01-10T120000000Z\.json: 1 streams, 4 events, digest [0-9a-f]{64}/,
    );
    assert.ok(!`${signed.stdout}${signed.stderr}`.includes("PRIVATE KEY"), "the key never shows");

    sql("DELETE FROM events WHERE stream = ? AND revision = 3", "certificate-demo_a");
    const verifyArgs = ["audit", "verify", store(), `--checkpoints=${out}`, `--public-key=${publicKeyFile}`];
    const truncated = await runCertctl(verifyArgs);
    assert.equal(truncated.code, 1);
    assert.match(
      truncated.stdout,
      /^removed: certificate-demo_a revision 3: events at revisions 3\.\.3 .*tail is cut off/m,
    );

    const refused = await runCertctl(["audit", "checkpoint", `--key=${keyFile}`, `--out=${out}`, store()]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /no checkpoint written/);

    const [file] = await readdir(out);
    const path = join(out, file!);
    const checkpoint = JSON.parse(await readFile(path, "utf8"));
    checkpoint.heads[0].revision = 2;
    await writeFile(path, JSON.stringify(checkpoint));
    const edited = await runCertctl(verifyArgs);
    assert.equal(edited.code, 1);
    assert.match(
      edited.stdout,
      /^checkpoint: checkpoint \S+\.json: signature does not verify: the file was edited/m,
    );
  });

  test("a bad key file is named without its contents, and flags are checked", async () => {
    await seed("certificate-demo_a", 1);
    await writeFile(keyFile, `not a key ${privatePem.slice(40, 80)}`);
    const bad = await runCertctl(["audit", "checkpoint", `--key=${keyFile}`, `--out=${dir}`, store()]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--key: .*audit\.key is not a PEM private key/);
    assert.ok(!bad.stderr.includes(privatePem.slice(40, 80)));

    const lonely = await runCertctl(["audit", "verify", store(), `--checkpoints=${dir}`]);
    assert.equal(lonely.code, 1);
    assert.match(lonely.stderr, /--checkpoints and --public-key go together/);
    const missing = await runCertctl(["audit", "verify", `--store=sqlite:${join(dir, "nope.sqlite")}`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /--store: no SQLite event store at .*nope\.sqlite/);
  });
});

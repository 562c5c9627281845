import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import Database from "better-sqlite3";
import { signCheckpoint } from "./audit-checkpoint.ts";
import { type AuditProblem, auditStore } from "./audit-store.ts";
import { eventChainHash } from "./chain-hash.ts";
import { ChainedEventStore } from "./chained-event-store.ts";
import { newEvent } from "./contract/index.ts";
import { SqliteEventStore } from "./sqlite-event-store.ts";

const keys = generateKeyPairSync("ed25519");

let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "certplane-audit-"));
  path = join(dir, "events.db");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function open(): SqliteEventStore {
  return new SqliteEventStore({ path, pollIntervalMs: 20, synchronous: "NORMAL" });
}

/** Appends `count` events one commit each (and one two-event commit first) through the chain. */
async function seed(streams: Record<string, number>): Promise<void> {
  const store = new ChainedEventStore(open());
  try {
    for (const [stream, count] of Object.entries(streams)) {
      let version = (
        await store.append(stream, [newEvent("Created", { i: 0 }), newEvent("Keyed")], "no_stream")
      ).version;
      for (let i = 2; i < count; i++) {
        version = (await store.append(stream, [newEvent("Changed", { i })], version)).version;
      }
    }
  } finally {
    await store.close();
  }
}

async function audit(options: Parameters<typeof auditStore>[1] = {}) {
  const store = open();
  try {
    return await auditStore(store, options);
  } finally {
    await store.close();
  }
}

function tamper(sql: string, ...params: unknown[]): void {
  const db = new Database(path);
  try {
    const changed = db.prepare(sql).run(...params).changes;
    assert.ok(changed > 0, `tampering "${sql}" changed a row`);
  } finally {
    db.close();
  }
}

function rowId(stream: string, revision: number): string {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db.prepare("SELECT id FROM events WHERE stream = ? AND revision = ?").get(stream, revision) as {
        id: string;
      }
    ).id;
  } finally {
    db.close();
  }
}

function problemOf(problems: readonly AuditProblem[], stream: string): AuditProblem | undefined {
  return problems.find((problem) => problem.stream === stream);
}

describe("audit verify over a tampered SQLite store", () => {
  test("a clean store verifies with every event chained", async () => {
    await seed({ "certificate-demo_a": 4, "secret-demo_a": 3 });
    const report = await audit();
    assert.deepEqual(report.problems, []);
    assert.equal(report.streams, 2);
    assert.equal(report.events, 7);
    assert.equal(report.unchained, 0);
  });

  test("an UPDATEd row is named altered and a DELETEd row removed, each in its stream", async () => {
    await seed({ "certificate-demo_edited": 4, "certificate-demo_deleted": 5, "certificate-demo_clean": 3 });
    const edited = rowId("certificate-demo_edited", 2);
    const deleted = rowId("certificate-demo_deleted", 1);
    const afterDeleted = rowId("certificate-demo_deleted", 2);
    tamper(`UPDATE events SET data = json('{"i":99}') WHERE id = ?`, edited);
    tamper("DELETE FROM events WHERE id = ?", deleted);

    const report = await audit();
    assert.equal(report.problems.length, 2);
    const altered = problemOf(report.problems, "certificate-demo_edited");
    assert.equal(altered?.kind, "altered");
    assert.equal(altered?.revision, 2);
    assert.equal(altered?.eventId, edited);
    const removed = problemOf(report.problems, "certificate-demo_deleted");
    assert.equal(removed?.kind, "removed");
    assert.equal(removed?.revision, 1);
    assert.equal(removed?.eventId, afterDeleted);
    assert.match(removed?.message ?? "", /revision 1 was removed/);
    assert.equal(problemOf(report.problems, "certificate-demo_clean"), undefined);
  });

  test("an edit that also rewrites the event's own hash is caught by the next event's link", async () => {
    await seed({ "certificate-demo_forged": 4 });
    const forged = rowId("certificate-demo_forged", 1);
    const db = new Database(path);
    try {
      const row = db
        .prepare("SELECT type, schema_version, data, metadata FROM events WHERE id = ?")
        .get(forged) as {
        type: string;
        schema_version: number;
        data: string;
        metadata: string;
      };
      const metadata = JSON.parse(row.metadata);
      const data = { forged: true };
      metadata.chain.hash = eventChainHash(
        "certificate-demo_forged",
        { id: forged, type: row.type, schemaVersion: row.schema_version, data, metadata },
        metadata.chain.revision,
        metadata.chain.prev,
      );
      db.prepare("UPDATE events SET data = ?, metadata = ? WHERE id = ?").run(
        JSON.stringify(data),
        JSON.stringify(metadata),
        forged,
      );
    } finally {
      db.close();
    }
    const [problem] = (await audit()).problems;
    assert.equal(problem?.kind, "altered");
    assert.equal(problem?.eventId, forged);
    assert.equal(problem?.revision, 1);
  });

  test("two rows whose revisions are swapped are named reordered", async () => {
    await seed({ "certificate-demo_swapped": 4 });
    const second = rowId("certificate-demo_swapped", 1);
    const third = rowId("certificate-demo_swapped", 2);
    const db = new Database(path);
    try {
      db.transaction(() => {
        db.prepare("UPDATE events SET revision = -1 WHERE id = ?").run(second);
        db.prepare("UPDATE events SET revision = 1 WHERE id = ?").run(third);
        db.prepare("UPDATE events SET revision = 2 WHERE id = ?").run(second);
      })();
    } finally {
      db.close();
    }
    const [problem] = (await audit()).problems;
    assert.equal(problem?.kind, "reordered");
    assert.equal(problem?.eventId, third);
    assert.equal(problem?.revision, 1);
  });

  test("a checkpoint finds a tail event and a whole stream removed after it was signed", async () => {
    await seed({ "certificate-demo_tail": 4, "certificate-demo_gone": 2, "certificate-demo_kept": 2 });
    const before = await audit();
    assert.deepEqual(before.problems, []);
    const checkpoint = signCheckpoint(
      {
        createdAt: "2026-01-01T00:00:00.000Z",
        position: before.position,
        events: before.events,
        heads: before.heads,
      },
      keys.privateKey,
    );
    tamper("DELETE FROM events WHERE id = ?", rowId("certificate-demo_tail", 3));
    tamper("DELETE FROM events WHERE stream = ?", "certificate-demo_gone");

    const withoutCheckpoint = await audit();
    assert.deepEqual(withoutCheckpoint.problems, [], "a cut tail leaves no trace in the chain itself");
    const report = await audit({
      checkpoints: [{ name: "cp.json", content: JSON.parse(JSON.stringify(checkpoint)) }],
      publicKey: keys.publicKey,
    });
    assert.equal(report.checkpoints, 1);
    assert.equal(report.problems.length, 2);
    const tail = problemOf(report.problems, "certificate-demo_tail");
    assert.equal(tail?.kind, "removed");
    assert.equal(tail?.revision, 3);
    assert.match(tail?.message ?? "", /tail is cut off/);
    const gone = problemOf(report.problems, "certificate-demo_gone");
    assert.equal(gone?.kind, "removed");
    assert.match(gone?.message ?? "", /stream certificate-demo_gone was removed/);
  });

  test("a checkpoint file edited after signing, or checked with another key, fails its signature", async () => {
    await seed({ "certificate-demo_a": 3 });
    const before = await audit();
    const checkpoint = signCheckpoint(
      {
        createdAt: "2026-01-01T00:00:00.000Z",
        position: before.position,
        events: before.events,
        heads: before.heads,
      },
      keys.privateKey,
    );
    const edited = JSON.parse(JSON.stringify(checkpoint));
    edited.heads[0].revision = 1;
    const other = generateKeyPairSync("ed25519");
    const [editedReport, otherKeyReport] = [
      await audit({ checkpoints: [{ name: "edited.json", content: edited }], publicKey: keys.publicKey }),
      await audit({ checkpoints: [{ name: "cp.json", content: checkpoint }], publicKey: other.publicKey }),
    ];
    assert.equal(editedReport.problems[0]?.kind, "checkpoint");
    assert.match(
      editedReport.problems[0]?.message ?? "",
      /edited\.json: signature does not verify: the file was edited/,
    );
    assert.equal(editedReport.checkpoints, 0);
    assert.match(otherKeyReport.problems[0]?.message ?? "", /signed by another key/);
  });

  test("events written before chaining are covered by the next chained event", async () => {
    const raw = open();
    const stream = "certificate-demo_legacy";
    const legacy = newEvent("Created", { legacy: true });
    const first = await raw.append(stream, [legacy], "no_stream");
    await raw.close();
    const chained = new ChainedEventStore(open());
    await chained.append(stream, [newEvent("Changed")], first.version);
    await chained.close();
    const clean = await audit();
    assert.deepEqual(clean.problems, []);
    assert.equal(clean.unchained, 1);

    tamper(`UPDATE events SET data = json('{"legacy":false}') WHERE id = ?`, legacy.id);
    const [problem] = (await audit()).problems;
    assert.equal(problem?.kind, "altered");
    assert.equal(problem?.eventId, legacy.id);
  });
});

import type { Clock, ExpectedVersion, NewEvent, RecordedEvent } from "@certplane/domain";
import { AlreadyExistsError, systemClock } from "@certplane/domain";
import Database from "better-sqlite3";
import { assertExpectedVersion } from "./expected-version.ts";
import { type PolledSource, startPolledSubscription } from "./polled-subscription.ts";
import type { AppendResult, EventStore, StreamRead, SubscribeOptions, Subscription } from "./port.ts";
import { translateSqliteError } from "./sqlite-errors.ts";
import { type EventRow, SQLITE_SCHEMA } from "./sqlite-schema.ts";
import { storeClosedError } from "./store-closed.ts";
import { parseStreamName } from "./stream-name.ts";
import { resolveSubscribeOptions } from "./subscription-options.ts";
import { SubscriptionSet } from "./subscription-set.ts";
import { validateAppend } from "./validate-append.ts";
import { WakeSignal } from "./wake-signal.ts";

export interface SqliteEventStoreOptions {
  /** Database file; created with its tables when absent. */
  readonly path: string;
  readonly clock?: Clock;
  /** How often tailing subscriptions look for appends made by other processes (default 200 ms). */
  readonly pollIntervalMs?: number;
  /** "FULL" (default) syncs every commit to disk; "NORMAL" may lose the last commits on power loss. */
  readonly synchronous?: "FULL" | "NORMAL";
  /** How long a writer waits for another process's write lock before a TransientError (default 5 s). */
  readonly busyTimeoutMs?: number;
}

const COLUMNS = "position, stream, commit_version, id, type, schema_version, data, metadata, recorded_at";

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    stream: row.stream,
    version: BigInt(row.commit_version),
    position: String(row.position),
    recordedAt: row.recorded_at,
  };
}

function prepareStatements(db: Database.Database) {
  return {
    byId: db.prepare<[string], { stream: string; commit_version: number }>(
      "SELECT stream, commit_version FROM events WHERE id = ?",
    ),
    commitEnd: db.prepare<[string, number], { position: number }>(
      "SELECT max(position) AS position FROM events WHERE stream = ? AND commit_version = ?",
    ),
    head: db.prepare<[string], { revision: number | null }>(
      "SELECT max(revision) AS revision FROM events WHERE stream = ?",
    ),
    insert: db.prepare(
      `INSERT INTO events (stream, category, revision, commit_version, id, type, schema_version, data, metadata, recorded_at)
       VALUES (@stream, @category, @revision, @commitVersion, @id, @type, @schemaVersion, @data, @metadata, @recordedAt)`,
    ),
    stream: db.prepare<[string], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream = ? ORDER BY revision`,
    ),
    after: db.prepare<[number, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    ),
    afterInCategories: db.prepare<[number, string, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE position > ? AND category IN (SELECT value FROM json_each(?))
       ORDER BY position LIMIT ?`,
    ),
    countAfter: db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM events WHERE position > ?"),
    countAfterInCategories: db.prepare<[number, string], { n: number }>(
      "SELECT count(*) AS n FROM events WHERE position > ? AND category IN (SELECT value FROM json_each(?))",
    ),
    loadCheckpoint: db.prepare<[string], { position: number }>(
      "SELECT position FROM subscription_checkpoints WHERE name = ?",
    ),
    saveCheckpoint: db.prepare(
      `INSERT INTO subscription_checkpoints (name, position, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    ),
  };
}

/**
 * Event store in one SQLite file (WAL), for single-node installs and tests. Several processes may
 * share the file: appends serialise on SQLite's write lock; subscriptions poll for foreign appends.
 */
export class SqliteEventStore implements EventStore {
  readonly #db: Database.Database;
  readonly #sql: ReturnType<typeof prepareStatements>;
  readonly #clock: Clock;
  readonly #subscriptions = new SubscriptionSet();
  readonly #source: PolledSource;
  readonly #append: (stream: string, events: readonly NewEvent[], expected: ExpectedVersion) => AppendResult;

  constructor(options: SqliteEventStoreOptions) {
    this.#clock = options.clock ?? systemClock;
    try {
      this.#db = new Database(options.path);
      this.#db.pragma("journal_mode = WAL");
      this.#db.pragma(`synchronous = ${options.synchronous ?? "FULL"}`);
      this.#db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5_000}`);
      this.#db.exec(SQLITE_SCHEMA);
      this.#sql = prepareStatements(this.#db);
    } catch (error) {
      throw translateSqliteError(error, `opening SQLite event store ${options.path}`);
    }
    // IMMEDIATE takes the write lock first, so the expectation check and the inserts see one state.
    this.#append = this.#db.transaction(this.#appendInTransaction.bind(this)).immediate;
    const wake = new WakeSignal();
    const sql = this.#sql;
    this.#source = {
      wake,
      pollIntervalMs: options.pollIntervalMs ?? 200,
      eventsAfter: (position, categories, limit) =>
        (categories.length === 0
          ? sql.after.all(position, limit)
          : sql.afterInCategories.all(position, JSON.stringify(categories), limit)
        ).map(toRecorded),
      countAfter: (position, categories) =>
        (categories.length === 0
          ? sql.countAfter.get(position)
          : sql.countAfterInCategories.get(position, JSON.stringify(categories)))!.n,
      loadCheckpoint: (name) => sql.loadCheckpoint.get(name)?.position,
      saveCheckpoint: (name, position) => {
        sql.saveCheckpoint.run(name, position, this.#clock.now().toISOString());
      },
    };
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    validateAppend(stream, events, expected);
    this.#assertOpen();
    let result: AppendResult;
    try {
      result = this.#append(stream, events, expected);
    } catch (error) {
      throw translateSqliteError(error, `appending to ${stream}`);
    }
    if (!result.duplicate) this.#source.wake.notify();
    return result;
  }

  async read(stream: string): Promise<StreamRead> {
    parseStreamName(stream);
    this.#assertOpen();
    try {
      const events = this.#sql.stream.all(stream).map(toRecorded);
      return { version: events[events.length - 1]?.version, events };
    } catch (error) {
      throw translateSqliteError(error, `reading ${stream}`);
    }
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const resolved = resolveSubscribeOptions(options);
    this.#assertOpen();
    return this.#subscriptions.track(startPolledSubscription(this.#source, resolved));
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    await this.#subscriptions.stopAll();
    this.#db.close();
  }

  #appendInTransaction(stream: string, events: readonly NewEvent[], expected: ExpectedVersion): AppendResult {
    const first = events[0]!;
    const stored = this.#sql.byId.get(first.id);
    if (stored !== undefined) {
      if (stored.stream !== stream) {
        throw new AlreadyExistsError(`event id ${first.id} is already stored in another stream`);
      }
      const end = this.#sql.commitEnd.get(stream, stored.commit_version)!;
      return { version: BigInt(stored.commit_version), position: String(end.position), duplicate: true };
    }
    const head = this.#sql.head.get(stream)?.revision ?? null;
    assertExpectedVersion(stream, head === null ? undefined : BigInt(head), expected);
    const base = head === null ? 0 : head + 1;
    const commitVersion = base + events.length - 1;
    const category = parseStreamName(stream).category;
    const recordedAt = this.#clock.now().toISOString();
    let position = 0;
    events.forEach((event, index) => {
      const info = this.#sql.insert.run({
        stream,
        category,
        revision: base + index,
        commitVersion,
        id: event.id,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: JSON.stringify(event.data),
        metadata: JSON.stringify(event.metadata),
        recordedAt,
      });
      position = Number(info.lastInsertRowid);
    });
    return { version: BigInt(commitVersion), position: String(position), duplicate: false };
  }

  #assertOpen(): void {
    if (!this.#db.open) throw storeClosedError("SQLite");
  }
}

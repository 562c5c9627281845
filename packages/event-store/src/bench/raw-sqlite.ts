import Database from "better-sqlite3";

/**
 * Plain better-sqlite3 inserts and selects with the adapter's pragmas, as the benchmark's baseline.
 * Benchmarks only; not part of the store.
 */
export class RawSqliteBaseline {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #select: Database.Statement<[string], { data: string; metadata: string }>;

  constructor(path: string, synchronous: "FULL" | "NORMAL") {
    this.#db = new Database(path);
    this.#db.pragma("journal_mode = WAL");
    this.#db.pragma(`synchronous = ${synchronous}`);
    this.#db.exec(
      `CREATE TABLE IF NOT EXISTS events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL,
       revision INTEGER NOT NULL, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, data TEXT NOT NULL,
       metadata TEXT NOT NULL, UNIQUE (stream, revision))`,
    );
    this.#insert = this.#db.prepare(
      "INSERT INTO events (stream, revision, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.#select = this.#db.prepare("SELECT data, metadata FROM events WHERE stream = ? ORDER BY revision");
  }

  insert(stream: string, revision: number, id: string, type: string, data: unknown, metadata: unknown): void {
    this.#insert.run(stream, revision, id, type, JSON.stringify(data), JSON.stringify(metadata));
  }

  /** Reads a stream's rows and parses their JSON; returns the row count. */
  select(stream: string): number {
    const rows = this.#select.all(stream);
    for (const row of rows) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
    }
    return rows.length;
  }

  close(): void {
    this.#db.close();
  }
}

import { AlreadyExistsError, CertplaneError, TransientError } from "@certplane/domain";

interface SqliteFailure {
  readonly code?: unknown;
  readonly message?: unknown;
}

/** Translates a better-sqlite3 error into the domain's typed errors, so no driver error escapes. */
export function translateSqliteError(error: unknown, action: string): CertplaneError {
  if (error instanceof CertplaneError) return error;
  const code = String((error as SqliteFailure | null)?.code ?? "");
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || code.startsWith("SQLITE_BUSY_")) {
    return new TransientError(`${action}: the SQLite database is locked by another writer`, { cause: error });
  }
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    return new AlreadyExistsError(`${action}: an event with one of these ids is already stored`, {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CertplaneError("INTERNAL", `${action}: ${message}`, { cause: error });
}

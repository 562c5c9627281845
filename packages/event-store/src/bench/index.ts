export { RawJetStreamBaseline } from "./raw-jetstream.ts";
export { RawSqliteBaseline } from "./raw-sqlite.ts";

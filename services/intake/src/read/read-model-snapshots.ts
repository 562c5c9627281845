// Read-model snapshots on disk: one JSON file holding every projection and the store position it
// includes, written atomically (temporary file, then rename). A snapshot only makes a start
// faster: a missing, unreadable or older-schema one is ignored, and the read models are folded from
// every event as if it had never existed.
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Logger } from "@certplane/runtime";
import type { IndexedEvent } from "./event-index.ts";
import type { ReadModel, ReadModelSnapshot } from "./read-model.ts";
import { readModelSnapshotSchema } from "./read-model.ts";

// JSON lines, streamed: a million events' folds do not fit in one string (V8 caps strings near
// 512 MiB), and a file of lines is written and read without holding it twice. Each line holds a
// batch of entries, so a restart parses thousands of lines rather than millions (the per-line
// cost of reading and parsing was most of a restart's time).
const FILE = "intake-read-models.jsonl";
const BATCH = 1_000;

type Line =
  | { readonly header: { readonly schema: number; readonly position: string } }
  | { readonly p: string; readonly entries: readonly (readonly [string, unknown])[] }
  | { readonly e: readonly (readonly [string, IndexedEvent])[] }
  | { readonly c: readonly (readonly [string, readonly string[]])[] };

export async function loadReadModelSnapshot(
  directory: string,
  logger: Logger,
): Promise<ReadModelSnapshot | undefined> {
  const path = join(directory, FILE);
  const fallback = (message: string, fields: Record<string, unknown>) => {
    logger.warn(`read-model snapshot ${message}; folding every event instead`, { path, ...fields });
    return undefined;
  };
  let header: { schema: number; position: string } | undefined;
  const projections: Record<string, [string, unknown][]> = {};
  const events: [string, IndexedEvent][] = [];
  const children: [string, readonly string[]][] = [];
  try {
    const lines = createInterface({
      input: createReadStream(path, "utf8"),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const text of lines) {
      if (text === "") continue;
      const line = JSON.parse(text) as Line;
      if ("header" in line) {
        header = line.header;
        if (header.schema !== readModelSnapshotSchema) {
          logger.info("read-model snapshot is of another schema; folding every event instead", {
            path,
            schema: header.schema,
          });
          lines.close();
          return undefined;
        }
      } else if ("p" in line) {
        const entries = projections[line.p] ?? [];
        for (const entry of line.entries) entries.push([entry[0], entry[1]]);
        projections[line.p] = entries;
      } else if ("e" in line) for (const entry of line.e) events.push([entry[0], entry[1]]);
      else for (const entry of line.c) children.push([entry[0], entry[1]]);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return fallback("unreadable", { error });
  }
  if (header === undefined || typeof header.position !== "string") return fallback("has no header", {});
  return { schema: header.schema, position: header.position, projections, events: { events, children } };
}

/**
 * Writes what the read model holds now; nothing when it has folded no event yet. A failure is
 * logged, never thrown: without a snapshot the next start is slower, not wrong.
 */
export async function saveReadModelSnapshot(
  directory: string,
  readModel: ReadModel,
  logger: Logger,
): Promise<void> {
  const snapshot = readModel.snapshot();
  if (snapshot === undefined) return;
  const path = join(directory, FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const out = createWriteStream(temporary, { mode: 0o600 });
    const write = (line: Line) =>
      out.write(`${JSON.stringify(line)}\n`) ? undefined : once(out, "drain").then(() => undefined);
    await write({ header: { schema: snapshot.schema, position: snapshot.position } });
    for (const [name, entries] of Object.entries(snapshot.projections)) {
      for (const batch of batches(entries)) await write({ p: name, entries: batch });
    }
    for (const batch of batches(snapshot.events.events)) await write({ e: batch });
    for (const batch of batches(snapshot.events.children)) await write({ c: batch });
    out.end();
    await once(out, "finish");
    await rename(temporary, path);
  } catch (error) {
    logger.warn("read-model snapshot not written; the next start folds every event", { path, error });
    await rm(temporary, { force: true });
  }
}

export async function deleteReadModelSnapshot(directory: string): Promise<void> {
  await rm(join(directory, FILE), { force: true });
}

function* batches<T>(items: readonly T[]): Generator<readonly T[]> {
  for (let start = 0; start < items.length; start += BATCH) yield items.slice(start, start + BATCH);
}

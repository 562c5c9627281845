// Read-model snapshots on disk: one JSON file holding every projection and the store position it
// includes, written atomically (temporary file, then rename). A snapshot only makes a start
// faster: a missing, unreadable or older-schema one is ignored, and the read models are folded from
// every event as if it had never existed.
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "@certplane/runtime";
import type { ReadModel, ReadModelSnapshot } from "./read-model.ts";
import { readModelSnapshotSchema } from "./read-model.ts";

const FILE = "intake-read-models.json";

export async function loadReadModelSnapshot(
  directory: string,
  logger: Logger,
): Promise<ReadModelSnapshot | undefined> {
  const path = join(directory, FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    logger.warn("read-model snapshot unreadable; folding every event instead", { path, error });
    return undefined;
  }
  try {
    const snapshot = JSON.parse(text) as ReadModelSnapshot;
    if (snapshot.schema !== readModelSnapshotSchema || typeof snapshot.position !== "string") {
      logger.info("read-model snapshot is of another schema; folding every event instead", {
        path,
        schema: snapshot.schema,
      });
      return undefined;
    }
    return snapshot;
  } catch (error) {
    logger.warn("read-model snapshot does not parse; folding every event instead", { path, error });
    return undefined;
  }
}

/** Writes what the read model holds now; nothing when it has folded no event yet. */
export async function saveReadModelSnapshot(directory: string, readModel: ReadModel): Promise<void> {
  const snapshot = readModel.snapshot();
  if (snapshot === undefined) return;
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const path = join(directory, FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(snapshot), { mode: 0o600 });
  await rename(temporary, path);
}

export async function deleteReadModelSnapshot(directory: string): Promise<void> {
  await rm(join(directory, FILE), { force: true });
}

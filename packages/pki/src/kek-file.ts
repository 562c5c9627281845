import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { NotFoundError, ValidationError } from "@certplane/domain";
import { KEK_BYTES, KeyEncryptionKey } from "./key-encryption-key.ts";

/** Where the key-encryption key comes from: inline base64 config, or a file of 32 raw bytes. */
export type KekSource =
  | { readonly base64: string }
  | { readonly file: string; readonly createIfMissing?: boolean };

export async function loadKeyEncryptionKey(source: KekSource): Promise<KeyEncryptionKey> {
  if ("base64" in source) return KeyEncryptionKey.fromBase64(source.base64, "kekBase64");
  if (source.createIfMissing) await createIfMissing(source.file);
  return readKekFile(source.file);
}

/** A file that group or others may access is refused rather than trusted. */
async function readKekFile(path: string): Promise<KeyEncryptionKey> {
  let mode: number;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== "ENOENT") throw cause;
    throw new NotFoundError(`key-encryption key file ${path} does not exist`, { cause, field: "kekFile" });
  }
  if ((mode & 0o077) !== 0) {
    throw ValidationError.of(
      "kekFile",
      "permissions",
      `key-encryption key file ${path} has mode ${mode.toString(8)}; it must not be accessible by group or others (chmod 600)`,
    );
  }
  return KeyEncryptionKey.fromBytes(await readFile(path), "kekFile");
}

async function createIfMissing(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // Written whole under a temporary name, then linked into place: link(2) fails if the file
  // exists, so two processes starting together agree on one key and nobody reads a half-written one.
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temporary, randomBytes(KEK_BYTES), { mode: 0o600, flag: "wx" });
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await unlink(temporary);
  }
}

import assert from "node:assert/strict";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { NotFoundError, ValidationError } from "@certplane/domain";
import { loadKeyEncryptionKey } from "./kek-file.ts";

describe("loadKeyEncryptionKey", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "certplane-kek-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates a 32-byte key with mode 0600 on first use and reads the same key afterwards", async () => {
    const file = join(dir, "created.key");
    const first = await loadKeyEncryptionKey({ file, createIfMissing: true });
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await readFile(file)).length, 32);
    const second = await loadKeyEncryptionKey({ file, createIfMissing: true });
    assert.equal(second.id, first.id);
  });

  it("refuses a key file readable by group or others", async () => {
    const file = join(dir, "open.key");
    await writeFile(file, Buffer.alloc(32, 1));
    await chmod(file, 0o644);
    await assert.rejects(
      loadKeyEncryptionKey({ file }),
      (error: unknown) => error instanceof ValidationError && /chmod 600/.test(error.message),
    );
  });

  it("reports a missing file when it may not create one", async () => {
    await assert.rejects(loadKeyEncryptionKey({ file: join(dir, "missing.key") }), NotFoundError);
  });

  it("loads a key from base64 configuration", async () => {
    const kek = await loadKeyEncryptionKey({ base64: Buffer.alloc(32, 7).toString("base64") });
    assert.equal(kek.id, "4bb06f8e");
  });
});

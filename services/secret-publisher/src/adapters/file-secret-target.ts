import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  symlink,
  unlink,
  writeFile,
} from "node:fs/promises";
import { basename, join } from "node:path";
import { ValidationError } from "@certplane/domain";
import { assertSecretRef, PerSecretQueue } from "../secrets/secret-ref-rules.ts";
import type { PublishedSecret, SecretRef, SecretTarget } from "../secrets/secret-target.ts";
import type { SecretValue } from "../secrets/secret-values.ts";
import { sameValue } from "../secrets/secret-values.ts";

// Layout, as kubelet's AtomicWriter does it for projected volumes:
//   <secretsDir>/<namespace>/<name>             -> symlink to .<name>.<version>
//   <secretsDir>/<namespace>/.<name>.<version>/ tls.crt tls.key ca.crt metadata.json
// A new version is written completely into a fresh directory, then the symlink is replaced with
// rename(2), which is atomic: a reader that resolves `<name>` once sees one whole version.

const METADATA_FILE = "metadata.json";
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;
// mkdtemp's six-character suffix, optionally with the temporary link's `.link`. It has no dot, so
// `.web.internal.abc123` is never taken for a version of `web`.
const VERSION_SUFFIX = /^[A-Za-z0-9]{6}(\.link)?$/;
const PUBLIC_MODE = 0o644;
const PRIVATE_MODE = 0o600;
const DIR_MODE = 0o755;

interface FileEntry {
  readonly content: SecretValue;
  readonly mode: number;
}

export interface FileSecretTargetOptions {
  readonly secretsDir: string;
}

export class FileSecretTarget implements SecretTarget {
  readonly kind = "file";
  readonly #root: string;
  readonly #queue = new PerSecretQueue();

  constructor(options: FileSecretTargetOptions) {
    this.#root = options.secretsDir;
  }

  async write(secret: PublishedSecret): Promise<void> {
    assertSecretRef(secret);
    await this.#queue.run(secret, () => this.#write(secret));
  }

  async delete(ref: SecretRef): Promise<void> {
    assertSecretRef(ref);
    await this.#queue.run(ref, () => this.#delete(ref));
  }

  async #write(secret: PublishedSecret): Promise<void> {
    const files = filesOf(secret);
    const dir = join(this.#root, secret.namespace);
    const link = join(dir, secret.name);
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    if (await holds(link, files)) return;

    const version = await mkdtemp(join(dir, `.${secret.name}.`));
    await chmod(version, DIR_MODE);
    for (const [file, entry] of files) {
      const path = join(version, file);
      await writeFile(path, entry.content, { mode: entry.mode, flag: "wx" });
      // The process umask may have narrowed the mode; the files must be exactly as documented.
      await chmod(path, entry.mode);
    }
    const temporaryLink = `${version}.link`;
    await symlink(basename(version), temporaryLink);
    await rename(temporaryLink, link);
    await removeVersions(dir, secret.name, basename(version));
  }

  async #delete(ref: SecretRef): Promise<void> {
    const dir = join(this.#root, ref.namespace);
    try {
      await unlink(join(dir, ref.name));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    await removeVersions(dir, ref.name, undefined);
  }
}

function filesOf(secret: PublishedSecret): Map<string, FileEntry> {
  const files = new Map<string, FileEntry>();
  const add = (key: string, content: SecretValue, mode: number) => {
    if (!DATA_KEY.test(key) || key === "." || key === ".." || key === METADATA_FILE || files.has(key)) {
      throw ValidationError.of(`data.${key}`, "dataKey", `secret key "${key}" cannot be written as a file`);
    }
    files.set(key, { content, mode });
  };
  for (const [key, value] of Object.entries(secret.data)) add(key, value, PUBLIC_MODE);
  for (const [key, value] of Object.entries(secret.secretData)) add(key, value, PRIVATE_MODE);
  const metadata = {
    type: secret.type,
    labels: secret.labels,
    annotations: secret.annotations,
    owner: secret.owner,
  };
  files.set(METADATA_FILE, { content: `${JSON.stringify(metadata, null, 2)}\n`, mode: PUBLIC_MODE });
  return files;
}

/** True when the current version already has exactly these files, so a rewrite would change nothing. */
async function holds(link: string, files: ReadonlyMap<string, FileEntry>): Promise<boolean> {
  let target: string;
  try {
    target = join(link, "..", await readlink(link));
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
  try {
    const present = await readdir(target);
    if (present.length !== files.size || present.some((name) => !files.has(name))) return false;
    for (const [name, entry] of files) {
      if (!sameValue(await readFile(join(target, name)), entry.content)) return false;
    }
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

/** Removes every version directory (and stray temporary link) of `name` except `keep`. */
async function removeVersions(dir: string, name: string, keep: string | undefined): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  const prefix = `.${name}.`;
  const stale = entries.filter(
    (entry) => entry !== keep && entry.startsWith(prefix) && VERSION_SUFFIX.test(entry.slice(prefix.length)),
  );
  await Promise.all(stale.map((entry) => rm(join(dir, entry), { recursive: true, force: true })));
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

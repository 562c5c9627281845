import { createHash } from "node:crypto";
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  unlink,
  writeFile,
} from "node:fs/promises";
import { basename, join } from "node:path";
import { ValidationError } from "@certplane/domain";
import { lock } from "proper-lockfile";
import { assertSecretRef, PerSecretQueue } from "../secrets/secret-ref-rules.ts";
import type { PublishedSecret, SecretRef, SecretTarget, WriteReceipt } from "../secrets/secret-target.ts";
import type { SecretValue } from "../secrets/secret-values.ts";
import { sameValue } from "../secrets/secret-values.ts";

// Layout, as kubelet's AtomicWriter does it for projected volumes:
//   <secretsDir>/<namespace>/<name>             -> symlink to .<name>.<version>
//   <secretsDir>/<namespace>/.<name>.<version>/ tls.crt tls.key ca.crt metadata.json
// A new version is written completely into a fresh directory, then the symlink is replaced with
// rename(2), which is atomic: a reader that resolves `<name>` once sees one whole version.
//
// Several publishers may share one directory (instances sharing the work), and two of them can
// write one secret at once (the request's holder at issuance, the secret's holder restoring it):
// each would link its own version and remove the other's, leaving the link dangling. So every
// write and delete of a secret holds a lock on it across processes, `<secretsDir>/.locks/
// <namespace>_<name>.lock` (proper-lockfile: an atomic mkdir, refreshed while held, broken once
// stale, so a killed holder does not block the next one; it also works on network file systems).

const METADATA_FILE = "metadata.json";
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;
// mkdtemp's six-character suffix, optionally with the temporary link's `.link`. It has no dot, so
// `.web.internal.abc123` is never taken for a version of `web`.
const VERSION_SUFFIX = /^[A-Za-z0-9]{6}(\.link)?$/;
const LOCKS_DIR = ".locks";
/** A lock not refreshed for this long belongs to a process that died: it is taken over. */
const LOCK_STALE_MS = 10_000;
const PUBLIC_MODE = 0o644;
const PRIVATE_MODE = 0o600;
const DIR_MODE = 0o755;

interface FileEntry {
  readonly content: SecretValue;
  readonly mode: number;
}

/** What the target last wrote of a file, by digest: enough to see tampering without keeping keys. */
interface WrittenFile {
  readonly digest: string;
  readonly mode: number;
}

interface WrittenSecret {
  readonly ref: SecretRef;
  readonly files: ReadonlyMap<string, WrittenFile>;
}

const digestOf = (content: SecretValue | Buffer) => createHash("sha256").update(content).digest("hex");
const keyOf = (ref: SecretRef) => `${ref.namespace}/${ref.name}`;

export interface FileSecretTargetOptions {
  readonly secretsDir: string;
}

export class FileSecretTarget implements SecretTarget {
  readonly kind = "file";
  readonly #root: string;
  readonly #queue = new PerSecretQueue();
  /** Every secret written and not deleted or forgotten since the target was built: what drift is judged against. */
  readonly #written = new Map<string, WrittenSecret>();
  readonly #changeListeners = new Set<() => void>();

  constructor(options: FileSecretTargetOptions) {
    this.#root = options.secretsDir;
  }

  /** The secrets directory, for logs. */
  get directory(): string {
    return this.#root;
  }

  /** `<secretsDir>/<namespace>/<name>`, the path readers open. */
  pathOf(ref: SecretRef): string {
    return join(this.#root, ref.namespace, ref.name);
  }

  /** Calls `listener` after each write or delete, when the directories to watch may have changed. */
  onChanged(listener: () => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** The secrets whose files drift is judged for: written by this target and not deleted or forgotten since. */
  written(): readonly SecretRef[] {
    return [...this.#written.values()].map(({ ref }) => ref);
  }

  /**
   * Stops judging drift for the written secrets `drop` selects: when they are another instance's to
   * write, this one must not put its own copy back over that one's.
   */
  forget(drop: (ref: SecretRef) => boolean): void {
    let forgotten = false;
    for (const [key, { ref }] of this.#written) {
      if (!drop(ref)) continue;
      this.#written.delete(key);
      forgotten = true;
    }
    // Their directories need watching no more.
    if (forgotten) for (const listener of this.#changeListeners) listener();
  }

  /** The version directory `ref`'s link points at now, where its files are edited in place. */
  async versionDirOf(ref: SecretRef): Promise<string | undefined> {
    const link = this.pathOf(ref);
    try {
      return join(link, "..", await readlink(link));
    } catch (error) {
      if (isMissing(error) || isNotLink(error)) return undefined;
      throw error;
    }
  }

  /**
   * How the files on disk differ from what this target last wrote of `ref`; `undefined` when they
   * do not, or the target never wrote it. Files it did not write are not compared. Queued with
   * writes, so a version being swapped in is never mistaken for tampering.
   */
  async driftOf(ref: SecretRef): Promise<string | undefined> {
    let drift: string | undefined;
    await this.#queue.run(ref, async () => {
      drift = await this.#driftOf(ref);
    });
    return drift;
  }

  /**
   * The receipt's resourceVersion is the version directory now linked: a restore after tampering
   * links a new one, so it is recorded as a new SecretPublished, as a Kubernetes copy's new
   * resourceVersion is; a rewrite that changes nothing returns the same one.
   */
  async write(secret: PublishedSecret): Promise<WriteReceipt> {
    assertSecretRef(secret);
    let receipt: WriteReceipt = {};
    await this.#queue.run(secret, () =>
      this.#locked(secret, async () => {
        receipt = await this.#write(secret);
      }),
    );
    return receipt;
  }

  async delete(ref: SecretRef): Promise<void> {
    assertSecretRef(ref);
    await this.#queue.run(ref, () => this.#locked(ref, () => this.#delete(ref)));
  }

  /** Runs `work` holding `ref`'s lock, which other processes writing this directory respect. */
  async #locked(ref: SecretRef, work: () => Promise<void>): Promise<void> {
    const locks = join(this.#root, LOCKS_DIR);
    await mkdir(locks, { recursive: true, mode: DIR_MODE });
    // proper-lockfile keeps its state per locked path, so each secret is its own path (which need
    // not exist); the lock itself is `<path>.lock`.
    const release = await lock(join(locks, `${ref.namespace}_${ref.name}`), {
      realpath: false,
      stale: LOCK_STALE_MS,
      retries: { retries: 100, minTimeout: 10, maxTimeout: 250 },
      // Taken over as stale while held (this process stalled for longer than LOCK_STALE_MS): the
      // write in flight ends as it would have without the lock, and the next write locks again.
      // proper-lockfile's default would throw from its timer and end the process.
      onCompromised: () => undefined,
    });
    try {
      await work();
    } finally {
      await release().catch(() => undefined);
    }
  }

  async #write(secret: PublishedSecret): Promise<WriteReceipt> {
    const files = filesOf(secret);
    const dir = join(this.#root, secret.namespace);
    const link = join(dir, secret.name);
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    await displaceForeign(dir, secret.name);
    if (!(await holds(link, files))) await this.#writeVersion(dir, secret.name, files);
    this.#written.set(keyOf(secret), {
      ref: { namespace: secret.namespace, name: secret.name },
      files: new Map(
        [...files].map(([file, { content, mode }]) => [file, { digest: digestOf(content), mode }]),
      ),
    });
    for (const listener of this.#changeListeners) listener();
    return { resourceVersion: await readlink(link) };
  }

  async #writeVersion(dir: string, name: string, files: ReadonlyMap<string, FileEntry>): Promise<void> {
    const link = join(dir, name);
    const version = await mkdtemp(join(dir, `.${name}.`));
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
    await removeVersions(dir, name, basename(version));
  }

  async #driftOf(ref: SecretRef): Promise<string | undefined> {
    const written = this.#written.get(keyOf(ref));
    if (written === undefined) return undefined;
    const link = this.pathOf(ref);
    const version = await this.versionDirOf(ref);
    if (version === undefined) {
      return (await exists(link))
        ? `${link} was replaced by something certplane did not write`
        : `${link} was removed`;
    }
    const problems: string[] = [];
    for (const [file, expected] of written.files) {
      const path = join(version, file);
      try {
        const [content, info] = await Promise.all([readFile(path), stat(path)]);
        if (digestOf(content) !== expected.digest) problems.push(`${file} was changed`);
        else if ((info.mode & 0o777) !== expected.mode) problems.push(`${file} had its mode changed`);
      } catch (error) {
        if (!isMissing(error)) throw error;
        problems.push(`${file} was removed`);
      }
    }
    return problems.length === 0 ? undefined : problems.join(", ");
  }

  async #delete(ref: SecretRef): Promise<void> {
    this.#written.delete(keyOf(ref));
    const dir = join(this.#root, ref.namespace);
    try {
      await unlink(join(dir, ref.name));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    await removeVersions(dir, ref.name, undefined);
    for (const listener of this.#changeListeners) listener();
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

/** True when the current version already has exactly these files and modes, so a rewrite would change nothing. */
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
      const path = join(target, name);
      if (!sameValue(await readFile(path), entry.content)) return false;
      // A key made world-readable is drift too: a rewrite puts the documented mode back.
      if (((await stat(path)).mode & 0o777) !== entry.mode) return false;
    }
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

/**
 * Something other than certplane's link where the link belongs (a directory someone put there):
 * moved aside to `.<name>.displaced-XXXXXX/` rather than deleted, since certplane did not write it,
 * so the published version can be linked in again.
 */
async function displaceForeign(dir: string, name: string): Promise<void> {
  const link = join(dir, name);
  try {
    if ((await lstat(link)).isSymbolicLink()) return;
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  const aside = await mkdtemp(join(dir, `.${name}.displaced-`));
  await rename(link, join(aside, name));
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
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

/** readlink on something that is not a link. */
function isNotLink(error: unknown): boolean {
  return (error as { code?: string }).code === "EINVAL";
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

import { CertplaneError, ValidationError } from "@certplane/domain";
import { translateVaultError, VaultRefusedError } from "@certplane/runtime";
import nodeVault from "node-vault";
import { assertSecretRef, PerSecretQueue } from "../secrets/secret-ref-rules.ts";
import type { PublishedSecret, SecretRef, SecretTarget } from "../secrets/secret-target.ts";
import type { SecretValue } from "../secrets/secret-values.ts";
import { valueAsText } from "../secrets/secret-values.ts";

// Layout: <mount>/data/<prefix>/<namespace>/<name> holds one KV v2 secret whose keys are the
// secret's data and secretData keys, plus METADATA_KEY with what a Kubernetes Secret keeps beside
// its data (type, labels, annotations, owner) and which keys are private.

const METADATA_KEY = "certplane.metadata";
const CAS_MISMATCH = "check-and-set parameter did not match the current version";

export interface VaultKvSecretTargetOptions {
  readonly server: string;
  readonly mount: string;
  readonly prefix: string;
  readonly namespace: string | undefined;
  /** Asked before every call, so a token an agent rotates in its file is picked up. */
  readonly token: () => Promise<string>;
}

interface StoredMetadata {
  readonly type: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly owner: PublishedSecret["owner"];
  readonly privateKeys: readonly string[];
  /** Keys whose value is base64 of bytes (keystores, DER): KV v2 holds only JSON strings. */
  readonly base64Keys?: readonly string[];
}

interface KvVersion {
  readonly data: Readonly<Record<string, string>>;
  readonly version: number;
}

/** Someone else wrote the secret's path in Vault; certplane refuses to overwrite their version. */
export class VaultKvConflictError extends CertplaneError {
  readonly path: string;

  constructor(path: string, message: string, options: { cause?: unknown } = {}) {
    super("CONCURRENCY", message, options);
    this.path = path;
  }
}

export class VaultKvSecretTarget implements SecretTarget {
  readonly kind = "vault-kv";
  readonly #options: VaultKvSecretTargetOptions;
  readonly #client: nodeVault.client;
  readonly #queue = new PerSecretQueue();
  /** The KV version certplane last wrote or confirmed per path: anything newer is someone else's. */
  readonly #versions = new Map<string, number>();

  constructor(options: VaultKvSecretTargetOptions) {
    this.#options = options;
    this.#client = nodeVault({ endpoint: options.server });
    // node-vault falls back to VAULT_NAMESPACE from the process environment; the config decides.
    (this.#client as unknown as { namespace: string }).namespace = options.namespace ?? "";
  }

  async write(secret: PublishedSecret): Promise<void> {
    assertSecretRef(secret);
    const wanted = kvDataOf(secret);
    await this.#queue.run(secret, () => this.#write(secret, wanted));
  }

  async delete(ref: SecretRef): Promise<void> {
    assertSecretRef(ref);
    await this.#queue.run(ref, async () => {
      const path = this.#secretPath(ref);
      await this.#call(`delete ${path}`, (client) =>
        client.delete(`${this.#options.mount}/metadata/${path}`),
      );
      this.#versions.delete(path);
    });
  }

  async #write(secret: PublishedSecret, wanted: Record<string, string>): Promise<void> {
    const path = this.#secretPath(secret);
    const current = await this.#read(path);
    let cas = 0;
    if (current !== undefined) {
      const known = this.#versions.get(path);
      // Across a restart the remembered version is gone; then the metadata tells ours from theirs.
      const ours = known === undefined ? ownedBy(current.data, secret) : current.version === known;
      if (!ours) throw this.#conflict(path, current.version, undefined);
      if (sameData(current.data, wanted)) {
        this.#versions.set(path, current.version);
        return;
      }
      cas = current.version;
    }
    const body = (await this.#call(`write ${path}`, (client) =>
      client.write(this.#dataPath(path), { data: wanted, options: { cas } }),
    ).catch((error: unknown) => {
      if (error instanceof VaultRefusedError && error.message === CAS_MISMATCH) {
        throw this.#conflict(path, undefined, error);
      }
      throw error;
    })) as { data?: { version?: unknown } };
    this.#versions.set(path, Number(body.data?.version));
  }

  async #read(path: string): Promise<KvVersion | undefined> {
    try {
      const body = (await this.#call(`read ${path}`, (client) => client.read(this.#dataPath(path)))) as {
        data?: { data?: Record<string, string>; metadata?: { version?: unknown } };
      };
      return { data: body.data?.data ?? {}, version: Number(body.data?.metadata?.version) };
    } catch (error) {
      if (error instanceof VaultRefusedError && error.status === 404) return undefined;
      throw error;
    }
  }

  #conflict(path: string, foundVersion: number | undefined, cause: unknown): VaultKvConflictError {
    const { mount } = this.#options;
    const found = foundVersion === undefined ? "" : ` (version ${foundVersion})`;
    return new VaultKvConflictError(
      `${mount}/${path}`,
      `Vault KV secret ${mount}/${path} was written by someone other than certplane${found}; it is left as is. ` +
        `Stop the other writer, or delete the secret (vault kv metadata delete ${mount}/${path}) so certplane can publish it again`,
      { cause },
    );
  }

  #secretPath(ref: SecretRef): string {
    return `${this.#options.prefix}/${ref.namespace}/${ref.name}`;
  }

  #dataPath(path: string): string {
    return `${this.#options.mount}/data/${path}`;
  }

  async #call<T>(what: string, run: (client: nodeVault.client) => Promise<T>): Promise<T> {
    this.#client.token = await this.#options.token();
    try {
      return await run(this.#client);
    } catch (error) {
      throw translateVaultError(error, this.#options.server, what);
    }
  }
}

function kvDataOf(secret: PublishedSecret): Record<string, string> {
  const data: Record<string, string> = {};
  const base64Keys: string[] = [];
  for (const [key, value] of [...Object.entries(secret.data), ...Object.entries(secret.secretData)]) {
    if (key === METADATA_KEY || key in data) {
      throw ValidationError.of(`data.${key}`, "dataKey", `secret key "${key}" cannot be written to Vault KV`);
    }
    const { text, base64 } = valueAsText(value);
    data[key] = text;
    if (base64) base64Keys.push(key);
  }
  const metadata: StoredMetadata = {
    type: secret.type,
    labels: secret.labels,
    annotations: secret.annotations,
    owner: secret.owner,
    privateKeys: Object.keys(secret.secretData),
    ...(base64Keys.length === 0 ? {} : { base64Keys }),
  };
  data[METADATA_KEY] = JSON.stringify(metadata);
  return data;
}

/** The secret a KV version holds, or undefined when certplane did not write it. */
export function decodeKvSecret(
  ref: SecretRef,
  data: Readonly<Record<string, string>>,
): PublishedSecret | undefined {
  let metadata: StoredMetadata;
  try {
    metadata = JSON.parse(data[METADATA_KEY] ?? "") as StoredMetadata;
  } catch {
    return undefined;
  }
  if (!Array.isArray(metadata.privateKeys) || typeof metadata.owner?.kind !== "string") return undefined;
  const publicData: Record<string, string> = {};
  const secretData: Record<string, SecretValue> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === METADATA_KEY) continue;
    if (metadata.privateKeys.includes(key)) {
      secretData[key] = metadata.base64Keys?.includes(key) ? Buffer.from(value, "base64") : value;
    } else publicData[key] = value;
  }
  const { type, labels, annotations, owner } = metadata;
  return { ...ref, type, data: publicData, secretData, labels, annotations, owner };
}

function ownedBy(data: Readonly<Record<string, string>>, secret: PublishedSecret): boolean {
  const stored = decodeKvSecret(secret, data);
  return stored !== undefined && JSON.stringify(stored.owner) === JSON.stringify(secret.owner);
}

function sameData(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

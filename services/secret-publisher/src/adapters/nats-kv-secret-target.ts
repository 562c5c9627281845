// Publishes Secrets into a JetStream KV bucket for NATS clients that watch for new certificates.
//
// Layout (README "NATS KV target"): a Secret apps/web-tls.internal becomes
//   apps.web-tls_internal.tls.crt   one entry per data key, the value as is (public) or a compact JWE (sealed)
//   apps.web-tls_internal           the index entry, written LAST: type, labels, annotations, owner and
//                                   per data key its entry's KV revision and whether it is private/sealed
// Kubernetes names hold dots but never `_`, so replacing `.` by `_` keeps the name one subject token
// and the mapping injective; a namespace has no dots. Watching `*.*` therefore sees index entries only.
// Puts of several keys are not atomic on nats-server 2.9 (no atomic batch), so a consumer reads the
// index and takes a value only if its entry's revision is the one the index names; otherwise the
// Secret is being rewritten and the next index entry is on its way.
import { createHmac, randomBytes } from "node:crypto";
import { UnavailableError, ValidationError } from "@certplane/domain";
import type { JetStreamManager } from "@nats-io/jetstream";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { KV } from "@nats-io/kv";
import { Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { credsAuthenticator } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { assertSecretRef, PerSecretQueue } from "../secrets/secret-ref-rules.ts";
import type { PublishedSecret, SecretRef, SecretTarget } from "../secrets/secret-target.ts";
import { sameValue, valueAsText } from "../secrets/secret-values.ts";
import type { JweRecipient } from "./jwe-recipient.ts";
import type { NatsKvCall } from "./nats-kv-errors.ts";
import { STREAM_NOT_FOUND, translateNatsKvError } from "./nats-kv-errors.ts";

/** The index entry's `format`; a consumer refuses formats it does not know. */
export const natsKvIndexFormat = "certplane.io/nats-kv/v1";
/** A one-token key the readiness probe writes: matched by neither `*.*` nor `<ns>.<name>.>`. */
export const natsKvProbeKey = "certplane-probe";

export type NatsCredentials =
  | { readonly kind: "creds"; readonly creds: string }
  | { readonly kind: "token"; readonly token: string }
  | { readonly kind: "userPassword"; readonly user: string; readonly password: string };

export interface NatsKvSecretTargetOptions {
  /** The SecretTarget's name, for messages and the connection name. */
  readonly name: string;
  readonly servers: readonly string[];
  readonly bucket: string;
  readonly credentials: NatsCredentials | undefined;
  /** Where the credentials come from, for the fix in an auth error: `Secret cert-manager/edge-nats`. */
  readonly credentialsSource: string;
  /** Seals private values to this recipient; undefined stores them in plaintext (spec privateKeys: Plaintext). */
  readonly recipient: JweRecipient | undefined;
  /** How long connecting may take before the write fails as transient; 5 s when absent. */
  readonly connectTimeoutMs?: number;
}

export interface NatsKvIndexEntry {
  readonly revision: number;
  /** From the Secret's secretData: a private key. */
  readonly private: boolean;
  /** The value is a compact JWE to the target's recipient. */
  readonly sealed: boolean;
}

export interface NatsKvIndex {
  readonly format: typeof natsKvIndexFormat;
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly owner: PublishedSecret["owner"];
  readonly entries: Readonly<Record<string, NatsKvIndexEntry>>;
}

/** The key of a Secret's index entry. */
export function natsKvIndexKey(ref: SecretRef): string {
  return `${ref.namespace}.${ref.name.replaceAll(".", "_")}`;
}

/** The key of one data key's entry. */
export function natsKvValueKey(ref: SecretRef, dataKey: string): string {
  return `${natsKvIndexKey(ref)}.${dataKey}`;
}

// A Secret's data key as a tail of subject tokens: no empty token, only what both allow.
const DATA_KEY = /^[-_a-zA-Z0-9]+(\.[-_a-zA-Z0-9]+)*$/;

interface OpenBucket {
  readonly kv: KV;
  readonly jsm: JetStreamManager;
}

interface Connection {
  readonly nc: NatsConnection;
  bucket: Promise<OpenBucket> | undefined;
}

interface Written {
  readonly revision: number;
  readonly fingerprint: string;
}

export class NatsKvSecretTarget implements SecretTarget {
  readonly kind = "nats-kv";
  readonly #options: NatsKvSecretTargetOptions;
  readonly #queue = new PerSecretQueue();
  /**
   * The index revision certplane last wrote per Secret, with a keyed digest of what it held: a
   * sealed value differs on every seal, so a redelivered write is recognised here, not by reading
   * back. The key is random per process and nothing of it is stored; after a restart the first
   * write of each Secret rewrites it once.
   */
  readonly #written = new Map<string, Written>();
  readonly #digestKey = randomBytes(32);
  #connection: Promise<Connection> | undefined;
  #closed = false;

  constructor(options: NatsKvSecretTargetOptions) {
    this.#options = options;
  }

  async write(secret: PublishedSecret): Promise<void> {
    assertSecretRef(secret);
    const keys = dataKeysOf(secret);
    await this.#queue.run(secret, () => this.#write(secret, keys));
  }

  async delete(ref: SecretRef): Promise<void> {
    assertSecretRef(ref);
    await this.#queue.run(ref, async () => {
      const indexKey = natsKvIndexKey(ref);
      const bucket = await this.#bucket(`delete ${indexKey}`);
      const { kv } = bucket;
      const index = await this.#call(`read ${indexKey}`, () => kv.get(indexKey));
      // The index goes first: a watcher sees the Secret gone before any of its values disappear.
      if (index !== null && index.operation === "PUT") {
        await this.#call(`purge ${indexKey}`, () => kv.purge(indexKey));
      }
      for (const key of await this.#valueKeys(bucket, ref)) {
        await this.#call(`purge ${key}`, () => kv.purge(key));
      }
      this.#written.delete(indexKey);
    });
  }

  /** Connects, opens (or creates) the bucket and writes the probe key: what a write needs, checked now. */
  async probe(): Promise<void> {
    const { kv } = await this.#bucket("probe");
    await this.#call(`write ${natsKvProbeKey}`, () =>
      kv.put(
        natsKvProbeKey,
        JSON.stringify({ target: this.#options.name, note: "certplane readiness probe" }),
      ),
    );
  }

  /** Closes the connection for good; a later call fails as retryable, for the target built in its place. */
  async close(): Promise<void> {
    this.#closed = true;
    const connection = this.#connection;
    this.#connection = undefined;
    const opened = await connection?.catch(() => undefined);
    await opened?.nc.close();
  }

  async #write(secret: PublishedSecret, keys: readonly string[]): Promise<void> {
    const indexKey = natsKvIndexKey(secret);
    const fingerprint = this.#fingerprint(secret);
    const bucket = await this.#bucket(`write ${indexKey}`);
    const { kv } = bucket;
    const current = await this.#call(`read ${indexKey}`, () => kv.get(indexKey));
    const written = this.#written.get(indexKey);
    if (
      current?.operation === "PUT" &&
      written?.revision === current.revision &&
      written.fingerprint === fingerprint
    ) {
      return;
    }
    const previous = current?.operation === "PUT" ? parseIndex(current.string()) : undefined;
    const entries: Record<string, NatsKvIndexEntry> = {};
    for (const key of keys) {
      const isPrivate = Object.hasOwn(secret.secretData, key);
      const value = (isPrivate ? secret.secretData[key] : secret.data[key]) ?? "";
      const sealed = isPrivate && this.#options.recipient !== undefined;
      const valueKey = natsKvValueKey(secret, key);
      // An unchanged plaintext value keeps its revision, so a rewrite moves only what changed.
      const kept =
        previous !== undefined && Object.hasOwn(previous.entries, key) ? previous.entries[key] : undefined;
      if (kept !== undefined && !sealed && !kept.sealed) {
        const stored = await this.#call(`read ${valueKey}`, () => kv.get(valueKey));
        if (
          stored?.operation === "PUT" &&
          stored.revision === kept.revision &&
          sameValue(stored.value, value)
        ) {
          entries[key] = { revision: kept.revision, private: isPrivate, sealed };
          continue;
        }
      }
      const stored = sealed ? await this.#options.recipient!.seal(value) : value;
      const revision = await this.#call(`write ${valueKey}`, () => kv.put(valueKey, stored));
      entries[key] = { revision, private: isPrivate, sealed };
    }
    const index: NatsKvIndex = {
      format: natsKvIndexFormat,
      namespace: secret.namespace,
      name: secret.name,
      type: secret.type,
      labels: secret.labels,
      annotations: secret.annotations,
      owner: secret.owner,
      entries,
    };
    // Compare-and-set on the index: a second writer of the same bucket is a conflict, not a silent mix.
    const revision = await this.#call(`write ${indexKey}`, () =>
      kv.put(indexKey, JSON.stringify(index), { previousSeq: current?.revision ?? 0 }),
    );
    // After the index: the new index names none of these, so no consistent reader wants them.
    const wanted = (key: string) => Object.hasOwn(entries, key.slice(indexKey.length + 1));
    for (const key of await this.#valueKeys(bucket, secret, wanted)) {
      await this.#call(`purge ${key}`, () => kv.purge(key));
    }
    this.#written.set(indexKey, { revision, fingerprint });
  }

  /**
   * Every live value entry of the Secret, including ones a write cut short left behind. Read from
   * the stream's subjects, not `kv.keys()`: that creates a consumer, which would need three more
   * permissions. A subject's last message may be a purge marker, so each candidate is checked.
   */
  async #valueKeys(
    { kv, jsm }: OpenBucket,
    ref: SecretRef,
    skip: (key: string) => boolean = () => false,
  ): Promise<string[]> {
    const { bucket } = this.#options;
    const prefix = `$KV.${bucket}.`;
    const filter = `${natsKvIndexKey(ref)}.>`;
    const info = await this.#call(`list ${filter}`, async () =>
      jsm.streams.info(`KV_${bucket}`, { subjects_filter: `${prefix}${filter}` }),
    );
    const live: string[] = [];
    for (const subject of Object.keys(info.state.subjects ?? {})) {
      const key = subject.slice(prefix.length);
      if (skip(key)) continue;
      const entry = await this.#call(`read ${key}`, () => kv.get(key));
      if (entry?.operation === "PUT") live.push(key);
    }
    return live;
  }

  #fingerprint(secret: PublishedSecret): string {
    const { type, data, secretData, labels, annotations, owner } = secret;
    const canonical = JSON.stringify([
      type,
      sorted(data),
      // Bytes as base64 (with a marker), so two values differ exactly when their bytes do.
      sorted(Object.fromEntries(Object.entries(secretData).map(([key, value]) => [key, valueAsText(value)]))),
      sorted(labels),
      sorted(annotations),
      owner,
    ]);
    return createHmac("sha256", this.#digestKey).update(canonical).digest("base64url");
  }

  async #bucket(action: string): Promise<OpenBucket> {
    const connection = await this.#connect(action);
    connection.bucket ??= this.#openBucket(connection.nc).catch((error: unknown) => {
      connection.bucket = undefined;
      throw error;
    });
    return await connection.bucket;
  }

  async #openBucket(nc: NatsConnection): Promise<OpenBucket> {
    const { bucket } = this.#options;
    // checkAPI off: the $JS.API.INFO round trip would need one more permission and tells nothing here.
    const jsm = await jetstreamManager(nc, { checkAPI: false });
    const kvm = new Kvm(jetstream(nc, { checkAPI: false }));
    const info = await this.#call(`open bucket ${bucket}`, () =>
      jsm.streams.info(`KV_${bucket}`).catch((error: unknown) => {
        if ((error as { code?: unknown }).code === STREAM_NOT_FOUND) return undefined;
        throw error;
      }),
    );
    if (info === undefined) {
      // History 1: an old value, sealed or not, is not kept once replaced.
      return {
        kv: await this.#call(`create bucket ${bucket}`, () => kvm.create(bucket, { history: 1 })),
        jsm,
      };
    }
    const kv = await this.#call(`open bucket ${bucket}`, () =>
      kvm.open(bucket, { allow_direct: info.config.allow_direct === true }),
    );
    return { kv, jsm };
  }

  async #connect(action: string): Promise<Connection> {
    // Retryable: the worker that closed this target has built its replacement for the retry.
    if (this.#closed)
      throw new UnavailableError(`SecretTarget ${this.#options.name}: this NATS KV connection was closed`);
    const existing = this.#connection;
    if (existing !== undefined) {
      const opened = await existing.catch(() => undefined);
      // A connection the server closed for good (credentials revoked) is replaced on the next call.
      if (opened !== undefined && !opened.nc.isClosed()) return opened;
      if (this.#connection === existing) this.#connection = undefined;
    }
    this.#connection ??= this.#call(action, async () => ({
      nc: await connect({
        servers: [...this.#options.servers],
        name: `certplane SecretTarget ${this.#options.name}`,
        timeout: this.#options.connectTimeoutMs ?? 5_000,
        // Keeps reconnecting while the server is away; writes in the meantime fail as transient.
        maxReconnectAttempts: -1,
        ...connectCredentials(this.#options.credentials),
      }),
      bucket: undefined,
    }));
    const connecting = this.#connection;
    return await connecting.catch((error: unknown) => {
      if (this.#connection === connecting) this.#connection = undefined;
      throw error;
    });
  }

  async #call<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw translateNatsKvError(error, this.#callOf(action));
    }
  }

  #callOf(action: string): NatsKvCall {
    const { name, servers, bucket, credentialsSource } = this.#options;
    return { target: name, servers, bucket, credentials: credentialsSource, action };
  }
}

function connectCredentials(credentials: NatsCredentials | undefined) {
  switch (credentials?.kind) {
    case undefined:
      return {};
    case "creds":
      return { authenticator: credsAuthenticator(new TextEncoder().encode(credentials.creds)) };
    case "token":
      return { token: credentials.token };
    case "userPassword":
      return { user: credentials.user, pass: credentials.password };
  }
}

/** The Secret's data keys in a stable order; refuses keys that are not subject tokens or are doubled. */
function dataKeysOf(secret: PublishedSecret): string[] {
  const keys = [...Object.keys(secret.data), ...Object.keys(secret.secretData)];
  for (const key of keys) {
    if (!DATA_KEY.test(key)) {
      throw ValidationError.of(
        `data[${key}]`,
        "dataKey",
        `secret key "${key}" cannot be a NATS KV key: use letters, digits, '-', '_' and single inner dots`,
      );
    }
    if (Object.hasOwn(secret.data, key) && Object.hasOwn(secret.secretData, key)) {
      throw ValidationError.of(`data[${key}]`, "dataKey", `secret key "${key}" is both public and private`);
    }
  }
  return keys.sort();
}

function parseIndex(text: string): NatsKvIndex | undefined {
  try {
    const index = JSON.parse(text) as Partial<NatsKvIndex>;
    return index.format === natsKvIndexFormat && typeof index.entries === "object"
      ? (index as NatsKvIndex)
      : undefined;
  } catch {
    return undefined;
  }
}

function sorted<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

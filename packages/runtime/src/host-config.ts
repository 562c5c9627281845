import { resolve } from "node:path";
import { ValidationError } from "@certplane/domain";
import type { NatsConnectionSettings } from "@certplane/messaging";
import type { LogLevel } from "./logger.ts";
import { parseNatsSecurity } from "./nats-security-config.ts";

export type StoreKind = "sqlite" | "jetstream" | "memory" | "eventstoredb";
export type BusKind = "in-process" | "nats";

/** Settings every certplane process shares, parsed once from the environment. */
export interface HostConfig {
  readonly store: StoreKind;
  readonly bus: BusKind;
  readonly dataDir: string;
  readonly sqlitePath: string;
  /** CERTPLANE_NATS_URL as given, for messages. */
  readonly natsUrl: string;
  /** Its comma-separated servers (a cluster's nodes): the client fails over among them. */
  readonly natsServers: readonly string[];
  /** Credentials and TLS files for every NATS connection (store and bus); empty when the server needs none. */
  readonly nats: Omit<NatsConnectionSettings, "inboxPrefix">;
  readonly jetstreamStreamName: string;
  readonly eventStoreUrl?: string;
  /** Key-encryption key: a file (created 0600 on first start) or base64 given in configuration. */
  readonly kekFile: string;
  readonly kekBase64?: string;
  readonly logLevel: LogLevel;
  /** This process among the service's instances (CERTPLANE_INSTANCE_ID); stamped on its events. */
  readonly instance?: string;
  /**
   * CERTPLANE_WORK_PARTITIONS: share the reactors' work with the service's other instances, over
   * this many partitions leased in JetStream KV (work-share/). Every instance must use the same number.
   */
  readonly workPartitions?: number;
}

const storeKinds: readonly StoreKind[] = ["sqlite", "jetstream", "memory", "eventstoredb"];
const logLevels: readonly LogLevel[] = ["debug", "info", "warn", "error"];

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw ValidationError.of(name, "oneOf", `${name} must be one of ${allowed.join(", ")}, got "${value}"`);
  }
  return value as T;
}

/**
 * `defaults` differ by mode: the embedded control plane defaults to SQLite and the in-process bus,
 * a service started on its own to JetStream and NATS.
 */
export function parseHostConfig(
  env: NodeJS.ProcessEnv,
  defaults: { store: StoreKind; bus: BusKind },
): HostConfig {
  const dataDir = resolve(env.CERTPLANE_DATA_DIR || "./data");
  const store = oneOf(env, "CERTPLANE_STORE", storeKinds, defaults.store);
  const eventStoreUrl = env.CERTPLANE_EVENTSTORE_URL || env.EVENTSTORE_URL;
  if (store === "eventstoredb" && !eventStoreUrl) {
    throw ValidationError.of(
      "CERTPLANE_EVENTSTORE_URL",
      "required",
      "CERTPLANE_STORE=eventstoredb needs CERTPLANE_EVENTSTORE_URL (e.g. esdb://127.0.0.1:2113?tls=false)",
    );
  }
  const instance = env.CERTPLANE_INSTANCE_ID || undefined;
  if (instance !== undefined && !INSTANCE_ID.test(instance)) {
    throw ValidationError.of(
      "CERTPLANE_INSTANCE_ID",
      "token",
      `CERTPLANE_INSTANCE_ID must be 1 to 64 of A-Z a-z 0-9 _ -, got "${instance}"`,
    );
  }
  const workPartitions = workPartitionsOf(env, store, instance);
  const natsUrl = env.CERTPLANE_NATS_URL || "nats://127.0.0.1:4222";
  return Object.freeze({
    store,
    bus: oneOf(env, "CERTPLANE_BUS", ["in-process", "nats"] as const, defaults.bus),
    dataDir,
    sqlitePath: resolve(env.CERTPLANE_SQLITE_PATH || `${dataDir}/events.sqlite`),
    natsUrl,
    natsServers: natsServersOf(natsUrl),
    nats: parseNatsSecurity(env),
    jetstreamStreamName: env.CERTPLANE_JETSTREAM_STREAM || "CERTPLANE_EVENTS",
    ...(eventStoreUrl ? { eventStoreUrl } : {}),
    kekFile: resolve(env.CERTPLANE_KEK_FILE || `${dataDir}/kek`),
    ...(env.CERTPLANE_KEK ? { kekBase64: env.CERTPLANE_KEK } : {}),
    logLevel: oneOf(env, "CERTPLANE_LOG_LEVEL", logLevels, "info"),
    ...(instance === undefined ? {} : { instance }),
    ...(workPartitions === undefined ? {} : { workPartitions }),
  });
}

const INSTANCE_ID = /^[A-Za-z0-9_-]{1,64}$/;

function natsServersOf(natsUrl: string): string[] {
  const servers = natsUrl.split(",").map((server) => server.trim());
  if (servers.some((server) => server === "")) {
    throw ValidationError.of(
      "CERTPLANE_NATS_URL",
      "natsServers",
      `CERTPLANE_NATS_URL must be one server or a comma-separated list of servers, got "${natsUrl}"`,
    );
  }
  return servers;
}
const MAX_WORK_PARTITIONS = 1024;

function workPartitionsOf(
  env: NodeJS.ProcessEnv,
  store: StoreKind,
  instance: string | undefined,
): number | undefined {
  const name = "CERTPLANE_WORK_PARTITIONS";
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > MAX_WORK_PARTITIONS) {
    throw ValidationError.of(
      name,
      "range",
      `${name} must be an integer from 1 to ${MAX_WORK_PARTITIONS}, got "${raw}"`,
    );
  }
  if (store !== "jetstream") {
    throw ValidationError.of(
      name,
      "jetstreamOnly",
      `${name} needs CERTPLANE_STORE=jetstream: the leases live in JetStream KV`,
    );
  }
  if (instance === undefined) {
    throw ValidationError.of(
      name,
      "instanceRequired",
      `${name} needs CERTPLANE_INSTANCE_ID, unique among the service's instances`,
    );
  }
  return count;
}

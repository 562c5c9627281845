import { randomUUID } from "node:crypto";
import type { Clock } from "@certplane/domain";
import { isCertplaneError, systemClock } from "@certplane/domain";
import type { EventStore, LeaseStore } from "@certplane/event-store";
import { JetStreamEventStore, openEventStore } from "@certplane/event-store";
import type { CommandBus, NatsConnectOptions } from "@certplane/messaging";
import { InProcessBroker, InProcessCommandBus, NatsCommandBus } from "@certplane/messaging";
import type { KeyEncryptionKey } from "@certplane/pki";
import { loadKeyEncryptionKey } from "@certplane/pki";
import type { HostConfig } from "./host-config.ts";
import type { Logger } from "./logger.ts";
import { createLogger } from "./logger.ts";
import { serviceInbox } from "./nats-permissions/service-permissions.ts";
import { startProcessTracing } from "./process-tracing.ts";
import { systemTimerClock } from "./timers/system-timer-clock.ts";
import { type PartitionLeases, startPartitionLeases, type WorkShare } from "./work-share/partition-leases.ts";

/** The built clients a service needs; created once by a composition root and injected. */
export interface Infrastructure {
  readonly store: EventStore;
  readonly bus: CommandBus;
  readonly kek: KeyEncryptionKey;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  /** Stamped on every event the service appends (CERTPLANE_INSTANCE_ID). */
  readonly instance?: string;
  /** Set when the reactors share their work with the service's other instances (CERTPLANE_WORK_PARTITIONS). */
  readonly workShare?: WorkShare;
  /** The leases the work share is kept in, set with it, for services that lease more than partitions. */
  readonly leases?: LeaseStore;
  close(): Promise<void>;
}

/** Told when a NATS command bus loses its connection and when it is back (the in-process bus never is). */
type BusStatusListener = NonNullable<NatsConnectOptions["onStatus"]>;

export async function buildInfrastructure(
  config: HostConfig,
  options: {
    service: string;
    broker?: InProcessBroker;
    clock?: Clock;
    logger?: Logger;
    onBusStatus?: BusStatusListener;
  },
): Promise<Infrastructure> {
  const logger = options.logger ?? createLogger({ service: options.service, level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const kek = await loadKeyEncryptionKey(
    config.kekBase64 ? { base64: config.kekBase64 } : { file: config.kekFile, createIfMissing: true },
  );
  // Every connection of this service authenticates as its user and gets its replies below its own
  // inbox prefix, which is all the generated permissions let it subscribe to (infra/nats/).
  const connection = { ...config.nats, inboxPrefix: serviceInbox(options.service) };
  const store = await openEventStore(
    // The injected clock stamps commits too, so `--at` instants and event times agree in tests.
    config.store === "sqlite"
      ? { kind: "sqlite", path: config.sqlitePath, clock }
      : config.store === "jetstream"
        ? {
            kind: "jetstream",
            servers: config.natsServers,
            streamName: config.jetstreamStreamName,
            connectionName: `certplane-${options.service}-store`,
            connection,
          }
        : config.store === "eventstoredb"
          ? { kind: "eventstoredb", connectionString: config.eventStoreUrl ?? "" }
          : { kind: "memory", clock },
  );
  const onHandlerError = (error: unknown, subject: string) =>
    logger.error("request handler failed", { subject, error });
  const bus: CommandBus =
    config.bus === "nats"
      ? await NatsCommandBus.connect({
          servers: config.natsServers,
          name: `certplane-${options.service}`,
          connection,
          onHandlerError,
          ...(options.onBusStatus ? { onStatus: options.onBusStatus } : {}),
        })
      : new InProcessCommandBus(options.broker ?? new InProcessBroker(), { onHandlerError });
  let shared: { readonly workShare: PartitionLeases; readonly leases: LeaseStore } | undefined;
  if (
    config.workPartitions !== undefined &&
    config.instance !== undefined &&
    store instanceof JetStreamEventStore
  ) {
    const leases = await store.leases();
    const workShare = await startPartitionLeases({
      leases,
      group: options.service,
      instance: config.instance,
      partitions: config.workPartitions,
      clock: systemTimerClock,
      logger,
    });
    shared = { workShare, leases };
  }
  return {
    store,
    bus,
    kek,
    clock,
    newId: randomUUID,
    logger,
    ...(config.instance === undefined ? {} : { instance: config.instance }),
    ...shared,
    async close() {
      // Leases first, while the store is still there to release them on.
      await shared?.workShare.stop();
      await bus.close();
      await store.close();
    },
  };
}

/**
 * Runs one service as its own process: builds the infrastructure, starts the service, and stops
 * it cleanly on SIGINT/SIGTERM. Failures at start say what to do next and exit non-zero.
 */
export async function runServiceProcess(
  service: string,
  config: HostConfig,
  start: (infrastructure: Infrastructure) => Promise<{ stop(): Promise<void> }>,
  options: { onBusStatus?: BusStatusListener } = {},
): Promise<void> {
  const logger = createLogger({ service, level: config.logLevel });
  const tracing = await startProcessTracing(service);
  let infrastructure: Infrastructure;
  try {
    infrastructure = await buildInfrastructure(config, { service, logger, ...options });
  } catch (error) {
    // A refusal of the credentials already says which variables to check; anything else is most
    // often a server that is not there or runs without JetStream.
    const refused = isCertplaneError(error) && error.code === "FORBIDDEN";
    logger.error(`cannot start ${service}: ${(error as Error).message}`, {
      ...(refused
        ? {}
        : {
            hint: `check CERTPLANE_NATS_URL (${config.natsUrl}) points at a running nats-server with JetStream (-js)`,
          }),
    });
    process.exit(1);
  }
  const running = await start(infrastructure);
  logger.info(`${service} started`, { store: config.store, bus: config.bus });
  const shutdown = async (signal: string) => {
    logger.info(`${service} stopping`, { signal });
    await running.stop();
    await infrastructure.close();
    await tracing.shutdown();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

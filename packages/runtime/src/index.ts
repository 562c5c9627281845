export type { ExecuteResult, LoadedAggregate } from "./aggregate-runner.ts";
export { AggregateRunner } from "./aggregate-runner.ts";
export { parseClusterResourceNamespace } from "./cluster-resource-namespace.ts";
export type { CommandContext } from "./event-codec.ts";
export {
  commandEventIds,
  contextFromEvent,
  currentSchemaVersion,
  startedContext,
  toDomainEvent,
  toNewEvents,
} from "./event-codec.ts";
export type { Infrastructure } from "./host.ts";
export { buildInfrastructure, runServiceProcess } from "./host.ts";
export type { BusKind, HostConfig, StoreKind } from "./host-config.ts";
export { parseHostConfig } from "./host-config.ts";
export type { Logger, LogLevel } from "./logger.ts";
export { createLogger, silentLogger } from "./logger.ts";
export { passwordVariable, renderAuthorizationConfig } from "./nats-permissions/authorization-config.ts";
export { certplaneSubjectLayout } from "./nats-permissions/certplane-layout.ts";
export type { NatsSubjectLayout, NatsUserPermissions } from "./nats-permissions/service-permissions.ts";
export { serviceInbox, servicePermissions } from "./nats-permissions/service-permissions.ts";
export { parseNatsSecurity } from "./nats-security-config.ts";
export { OwnedEventStore } from "./ownership/owned-event-store.ts";
export type {
  OwnerCommand,
  OwnerCommandMessage,
  OwnerCommandReply,
  OwnerCommandServerOptions,
} from "./ownership/owner-commands.ts";
export { OwnerCommandSender, serveOwnerCommands } from "./ownership/owner-commands.ts";
export type { ServiceHandles } from "./ownership/service-handles.ts";
export { serviceActor, serviceHandles } from "./ownership/service-handles.ts";
export type { ProcessTracing } from "./process-tracing.ts";
export { startProcessTracing } from "./process-tracing.ts";
export type { ProjectionDefinition } from "./projection.ts";
export { Projection } from "./projection.ts";
export type { ReactorOptions } from "./reactor.ts";
export { startReactor } from "./reactor.ts";
export { systemTimerClock } from "./timers/system-timer-clock.ts";
export type { TimerClock } from "./timers/timer-clock.ts";
export { translateVaultError, VaultRefusedError } from "./vault/vault-errors.ts";
export type {
  PartitionLeases,
  PartitionListener,
  WorkShare,
  WorkShareOptions,
} from "./work-share/partition-leases.ts";
export { DEFAULT_LEASE_TTL_MS, startPartitionLeases } from "./work-share/partition-leases.ts";
export { startSharedReactor, startWorkReactor } from "./work-share/shared-reactor.ts";

export type { AuditCheckpoint, CheckpointCheck, CheckpointHead } from "./audit-checkpoint.ts";
export {
  CHECKPOINT_FORMAT,
  checkCheckpoint,
  checkpointFileName,
  keyIdOf,
  parseSigningKey,
  parseVerifyingKey,
  signCheckpoint,
} from "./audit-checkpoint.ts";
export type { AuditOptions, AuditProblem, AuditReport, CheckpointFile } from "./audit-store.ts";
export { auditStore, compareWithCheckpoint } from "./audit-store.ts";
export type { ChainHead } from "./chain-hash.ts";
export { CHAIN_GENESIS, canonicalJson, chainHeadOf, eventChainHash, linkEvents } from "./chain-hash.ts";
export type { ChainProblem, ChainProblemKind, VerifiedChain } from "./chain-verify.ts";
export { verifyStreamChain } from "./chain-verify.ts";
export type { ChainedEventStoreOptions } from "./chained-event-store.ts";
export { ChainedEventStore } from "./chained-event-store.ts";
export type { EventStoreDbEventStoreOptions } from "./eventstoredb-event-store.ts";
export { EventStoreDbEventStore } from "./eventstoredb-event-store.ts";
export type { JetStreamEventStoreOptions } from "./jetstream-event-store.ts";
export { JetStreamEventStore, jetStreamDefaults } from "./jetstream-event-store.ts";
export { JetStreamLeaseStore } from "./leases/jetstream-lease-store.ts";
export type { LeaseRecord, LeaseStore } from "./leases/lease-store.ts";
export { assertLeaseKey, isLive } from "./leases/lease-store.ts";
export { MemoryLeaseStore } from "./leases/memory-lease-store.ts";
export type { MemoryEventStoreOptions } from "./memory-event-store.ts";
export { MemoryEventLog, MemoryEventStore } from "./memory-event-store.ts";
export type { EventStoreConfig, EventStoreKind } from "./open-event-store.ts";
export { openEventStore } from "./open-event-store.ts";
export type { Partition } from "./partitions.ts";
export { assertPartition, hashSlot, MAX_PARTITIONS, partitionOf } from "./partitions.ts";
export type {
  AppendResult,
  EventStore,
  StreamRead,
  SubscribeFrom,
  SubscribeOptions,
  Subscription,
} from "./port.ts";
export { comparePositions } from "./positions.ts";
export type { SqliteEventStoreOptions } from "./sqlite-event-store.ts";
export { SqliteEventStore } from "./sqlite-event-store.ts";
export type { StreamName } from "./stream-name.ts";
export { parseStreamName } from "./stream-name.ts";
export { subscribeCaughtUp } from "./subscribe-caught-up.ts";

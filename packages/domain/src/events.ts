// The event envelope every store adapter persists. Domain code produces `DomainEvent`s; the
// handler wraps them into `NewEvent`s with ids, metadata and schema version before appending.

/** A domain event as deciders produce it: a type and its data. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

export interface EventMetadata {
  /** Ties together every event caused by one user action. */
  readonly correlationId: string;
  /** The id of the command or event that caused this one. */
  readonly causationId: string;
  /**
   * The identity the action was for: the API client (`x509:<subject>`, `local:<user>`, `nats:<user>`)
   * or, for automatic work, the service itself (`service:<name>`).
   */
  readonly actor: string;
  /**
   * The service that appended the event, stamped by its store handle (see ownership.ts); absent
   * only on events written before services had owners.
   */
  readonly producer?: string;
  /**
   * Which of the producer's instances appended it (CERTPLANE_INSTANCE_ID), when several share its
   * work; absent on events of a single unnamed instance and on older events.
   */
  readonly instance?: string;
  /** The owner command that carried the change from another service, by id and type. */
  readonly command?: { readonly id: string; readonly type: string; readonly sender: string };
  /** W3C trace context, so a trace follows the event across services. */
  readonly traceparent?: string;
  /** When the fact happened, ISO 8601 UTC, from the injected clock. */
  readonly occurredAt: string;
  /** Tamper evidence: the link to the stream's previous event, added at append (event-store chain-hash.ts). */
  readonly chain?: EventChainLink;
}

/**
 * One event's place in its stream's hash chain: `hash` commits to the event's content, its
 * revision and `prev`, the hash of the stream's previous event ("" for the first), so altering,
 * removing or reordering an event breaks the chain at that event.
 */
export interface EventChainLink {
  /** 0-based index of the event in its stream; contiguous, unlike JetStream's versions. */
  readonly revision: number;
  readonly prev: string;
  readonly hash: string;
}

export interface NewEvent<TType extends string = string, TData = unknown> {
  /** Unique id (UUID); also the idempotency key of the append that carries it. */
  readonly id: string;
  readonly type: TType;
  /** Version of this event type's data schema; old versions are upcast when read. */
  readonly schemaVersion: number;
  readonly data: TData;
  readonly metadata: EventMetadata;
}

/**
 * Opaque per-stream concurrency token. Adapters decide what it counts (JetStream: the stream
 * sequence of the subject's last message, with gaps; SQLite and EventStoreDB: a contiguous revision).
 * Never do arithmetic on it.
 */
export type StreamVersion = bigint;

/** "no_stream": must be new; "any": no check; a version: must still be at exactly that version. */
export type ExpectedVersion = "no_stream" | "any" | StreamVersion;

/** Opaque global position in the store's all-events order, resumable by `subscribe`. */
export type Checkpoint = string;

export interface RecordedEvent<TType extends string = string, TData = unknown>
  extends NewEvent<TType, TData> {
  readonly stream: string;
  /** The stream's version once this event's commit was applied. */
  readonly version: StreamVersion;
  /** Global position: pass it back as `from` to resume after this event. */
  readonly position: Checkpoint;
  /** When the store accepted the commit, ISO 8601. */
  readonly recordedAt: string;
}

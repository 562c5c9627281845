import type { Checkpoint, ExpectedVersion, NewEvent, RecordedEvent, StreamVersion } from "@certplane/domain";
import type { Partition } from "./partitions.ts";

export interface AppendResult {
  /** The stream's version after this commit; pass it as the next expected version. */
  readonly version: StreamVersion;
  /** Global position of the commit. */
  readonly position: Checkpoint;
  /** True when this exact commit (same first event id) was already stored: a retry, not a new write. */
  readonly duplicate: boolean;
}

export interface StreamRead {
  /** Version of the last event, or undefined when the stream does not exist. */
  readonly version: StreamVersion | undefined;
  readonly events: readonly RecordedEvent[];
}

/** Where a subscription starts: the beginning, or just after a position it has seen. */
export type SubscribeFrom = "start" | { readonly after: Checkpoint };

export interface SubscribeOptions {
  /**
   * A durable subscription's name. When set, the store keeps its checkpoint: after a restart it
   * resumes after the last event whose handler returned, whatever `from` says.
   */
  readonly name?: string;
  /** Where to start when there is no stored checkpoint (default "start"). */
  readonly from?: SubscribeFrom;
  /** Only streams whose name starts with one of these categories (`certificate-…`). */
  readonly categories?: readonly string[];
  /**
   * Only streams in this partition (partitions.ts), so instances can share a reactor's work: each
   * runs the partitions it holds, each under its own durable name. Events of other partitions are
   * passed over as handled.
   */
  readonly partition?: Partition;
  /**
   * Called for every event in global order, at least once. Resolve to acknowledge; throw to have
   * the event delivered again after `retryDelayMs` (the subscription does not move past it).
   */
  readonly handler: (event: RecordedEvent) => Promise<void>;
  readonly retryDelayMs?: number;
  /** Called once the subscription has delivered everything that existed when it started. */
  readonly onCaughtUp?: () => void;
  readonly onError?: (error: unknown) => void;
}

export interface Subscription {
  /** Stops delivery; resolves when no handler is running any more. */
  stop(): Promise<void>;
  /**
   * What is stored for this subscription and not yet handled: a reactor's backlog, where the store
   * can tell cheaply. Exact in events for memory and SQLite; JetStream counts commits and, for a
   * category filter, the other categories' commits in between (an upper bound). EventStoreDB cannot.
   */
  pending?(): Promise<number>;
}

/**
 * The event store port. Stream names are `<category>-<id>` (category dash-free camelCase, id of
 * letters, digits, `_`, `-`, `~` and `:` — see stream-name.ts). One append is one atomic commit.
 */
export interface EventStore {
  append(stream: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult>;
  read(stream: string): Promise<StreamRead>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  close(): Promise<void>;
}

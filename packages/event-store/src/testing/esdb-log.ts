import { WakeSignal } from "../wake-signal.ts";
import { type CommittedEvent, checkCommit, type ExpectedRevision } from "./esdb-commit-check.ts";

/** An event as a client proposes it. */
export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  /** The server keeps only "is it JSON" of the content type. */
  readonly isJson: boolean;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export interface LoggedEvent extends ProposedEvent {
  readonly stream: string;
  readonly revision: bigint;
  /**
   * Offset of the event's record in the transaction log. Since 20.x every event is a prepare record
   * that commits itself, so its commit and prepare positions are both this offset.
   */
  readonly position: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, as the server reports `created`. */
  readonly created: bigint;
}

export type AppendOutcome =
  | { readonly result: "success"; readonly revision: bigint; readonly position: bigint }
  /** `current` is undefined when the stream has no events. */
  | { readonly result: "wrongExpectedVersion"; readonly current: bigint | undefined };

/**
 * Record framing and fixed fields around an event's variable parts. A guess at the server's
 * on-disk layout: only that positions grow with event size and leave gaps matters to clients.
 */
const RECORD_OVERHEAD_BYTES = 100n;
const TICKS_PER_MILLISECOND = 10_000n;
const utf8 = new TextEncoder();

/** The transaction log of one single node, in memory: `$all` in order, plus each stream's events. */
export class EsdbLog {
  readonly #all: LoggedEvent[] = [];
  readonly #streams = new Map<string, LoggedEvent[]>();
  readonly #committed = new Map<string, CommittedEvent>();
  /** Notified after every write, for live subscriptions. */
  readonly appended = new WakeSignal();
  #end = 0n;

  get all(): readonly LoggedEvent[] {
    return this.#all;
  }

  stream(name: string): readonly LoggedEvent[] {
    return this.#streams.get(name) ?? [];
  }

  append(stream: string, expected: ExpectedRevision, events: readonly ProposedEvent[]): AppendOutcome {
    const existing = this.stream(stream);
    const current = BigInt(existing.length) - 1n;
    const check = checkCommit({
      stream,
      expected,
      eventIds: events.map((event) => event.id),
      current,
      committed: this.#committed,
      idAt: (revision) => existing[Number(revision)]?.id,
    });
    switch (check.decision) {
      case "wrongExpectedVersion":
        return { result: "wrongExpectedVersion", current: current < 0n ? undefined : current };
      case "idempotent":
        return { result: "success", revision: check.last, position: existing[Number(check.last)]!.position };
      case "write":
        return this.#write(stream, events, current);
    }
  }

  #write(stream: string, events: readonly ProposedEvent[], current: bigint): AppendOutcome {
    const created = BigInt(Date.now()) * TICKS_PER_MILLISECOND;
    const written = this.#streams.get(stream) ?? [];
    this.#streams.set(stream, written);
    let revision = current;
    for (const event of events) {
      revision += 1n;
      const logged: LoggedEvent = { ...event, stream, revision, position: this.#end, created };
      this.#end += recordSize(logged);
      written.push(logged);
      this.#all.push(logged);
      this.#committed.set(event.id, { stream, revision });
    }
    this.appended.notify();
    return { result: "success", revision, position: written[written.length - 1]!.position };
  }
}

function recordSize(event: LoggedEvent): bigint {
  const variable =
    utf8.encode(event.stream).byteLength +
    utf8.encode(event.type).byteLength +
    event.data.byteLength +
    event.metadata.byteLength;
  return RECORD_OVERHEAD_BYTES + BigInt(variable);
}

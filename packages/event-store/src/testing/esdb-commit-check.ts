/** What a client expects of a stream before its write, as the append messages carry it. */
export type ExpectedRevision = "any" | "no_stream" | "stream_exists" | bigint;

/** Where an event id was committed. */
export interface CommittedEvent {
  readonly stream: string;
  readonly revision: bigint;
}

export interface CommitCheckInput {
  readonly stream: string;
  readonly expected: ExpectedRevision;
  readonly eventIds: readonly string[];
  /** Revision of the stream's last event; -1 when the stream has none. */
  readonly current: bigint;
  /** Every committed event id. The server keeps a bounded cache of recent ids; here none is forgotten. */
  readonly committed: ReadonlyMap<string, CommittedEvent>;
  readonly idAt: (revision: bigint) => string | undefined;
}

export type CommitDecision =
  | { readonly decision: "write" }
  /** The same events are already there, ending at `last`: the write is answered as if it had just happened. */
  | { readonly decision: "idempotent"; readonly last: bigint }
  | { readonly decision: "wrongExpectedVersion" };

const WRITE: CommitDecision = { decision: "write" };
const WRONG: CommitDecision = { decision: "wrongExpectedVersion" };

/**
 * The server's commit check (IndexWriter.CheckCommit): `any` and `stream_exists` are idempotent by
 * event id wherever the ids landed in this stream; an exact revision (or no_stream, revision -1) is
 * idempotent only when the same ids sit right after it. A partial match is not idempotent, and the
 * server answers it, like every other mismatch, with WrongExpectedVersion.
 */
export function checkCommit(input: CommitCheckInput): CommitDecision {
  const { expected, current } = input;
  if (expected === "stream_exists" && current < 0n) return WRONG;
  if (expected === "any" || expected === "stream_exists") return checkById(input);
  const after = expected === "no_stream" ? -1n : expected;
  if (after < current) return checkByPosition(input, after);
  return after > current ? WRONG : WRITE;
}

function checkById(input: CommitCheckInput): CommitDecision {
  let last: bigint | undefined;
  for (const id of input.eventIds) {
    const committed = input.committed.get(id);
    if (committed === undefined || committed.stream !== input.stream) {
      return last === undefined ? WRITE : WRONG;
    }
    last = committed.revision;
  }
  return last === undefined ? WRITE : { decision: "idempotent", last };
}

function checkByPosition(input: CommitCheckInput, after: bigint): CommitDecision {
  let revision = after;
  for (const id of input.eventIds) {
    revision += 1n;
    if (input.idAt(revision) !== id) return WRONG;
  }
  return revision === after ? WRONG : { decision: "idempotent", last: revision };
}

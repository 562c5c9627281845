import type { KeyObject } from "node:crypto";
import type { Checkpoint } from "@certplane/domain";
import { type AuditCheckpoint, type CheckpointHead, checkCheckpoint } from "./audit-checkpoint.ts";
import { type ChainProblemKind, type VerifiedChain, verifyStreamChain } from "./chain-verify.ts";
import type { EventStore } from "./port.ts";
import { comparePositions } from "./positions.ts";

export interface AuditProblem {
  /** `checkpoint`: a checkpoint file itself does not verify. */
  readonly kind: ChainProblemKind | "checkpoint";
  readonly stream?: string;
  readonly revision?: number;
  readonly eventId?: string;
  /** The checkpoint file that showed the problem, or that is itself the problem. */
  readonly checkpoint?: string;
  readonly message: string;
}

/** A checkpoint file as read from disk: its name (for messages) and its parsed JSON. */
export interface CheckpointFile {
  readonly name: string;
  readonly content: unknown;
}

export interface AuditOptions {
  /** Earlier checkpoints to hold the store against; each needs `publicKey` to be trusted. */
  readonly checkpoints?: readonly CheckpointFile[];
  readonly publicKey?: KeyObject;
  readonly onProgress?: (message: string) => void;
  /** A progress line every this many events scanned and streams verified (default 10,000). */
  readonly progressEvery?: number;
}

export interface AuditReport {
  readonly streams: number;
  readonly events: number;
  /** Events written before chaining, covered only by the chained events after them. */
  readonly unchained: number;
  /** Checkpoints that verified and were compared. */
  readonly checkpoints: number;
  /** The newest global position scanned, null for an empty store. */
  readonly position: Checkpoint | null;
  /** Every stream's head as recomputed: what a new checkpoint signs. */
  readonly heads: readonly CheckpointHead[];
  /** At most one per stream (the first), plus one per checkpoint file that fails its own check. */
  readonly problems: readonly AuditProblem[];
}

/**
 * Recomputes every stream's chain straight from the store, and holds the result against signed
 * checkpoints: the chain finds events altered, removed or reordered inside a stream; a checkpoint
 * also finds a stream's tail cut off, or a whole stream gone, since it was taken.
 *
 * The store is scanned from its start to learn every stream, then each stream is read as the
 * services read it (stream order), because that is the order state is folded in.
 */
export async function auditStore(store: EventStore, options: AuditOptions = {}): Promise<AuditReport> {
  const every = options.progressEvery ?? 10_000;
  const progress = options.onProgress ?? (() => undefined);
  const { streams, scanned, position } = await scanStreams(store, every, progress);

  const chains = new Map<string, VerifiedChain>();
  const problems: AuditProblem[] = [];
  let events = 0;
  let unchained = 0;
  let done = 0;
  for (const stream of streams) {
    const read = await store.read(stream);
    const chain = verifyStreamChain(stream, read.events);
    chains.set(stream, chain);
    events += chain.count;
    unchained += chain.unchained;
    if (chain.problem !== undefined) problems.push(chain.problem);
    if (++done % every === 0) progress(`verified ${done}/${streams.length} streams`);
  }
  progress(`verified ${streams.length} streams, ${events} events (scanned ${scanned})`);

  let checkpoints = 0;
  const reported = new Set(problems.map((problem) => problem.stream));
  for (const file of options.checkpoints ?? []) {
    const check =
      options.publicKey === undefined
        ? ({ ok: false, reason: "no public key given to check its signature" } as const)
        : checkCheckpoint(file.content, options.publicKey);
    if (!check.ok) {
      problems.push({
        kind: "checkpoint",
        checkpoint: file.name,
        message: `checkpoint ${file.name}: ${check.reason}`,
      });
      continue;
    }
    checkpoints++;
    for (const problem of compareWithCheckpoint(check.checkpoint, file.name, chains)) {
      if (reported.has(problem.stream)) continue;
      reported.add(problem.stream);
      problems.push(problem);
    }
  }
  if (checkpoints > 0) progress(`compared ${checkpoints} checkpoint(s)`);

  const heads: CheckpointHead[] = [];
  for (const chain of chains.values()) {
    const hash = chain.hashes[chain.count - 1];
    if (chain.count > 0 && hash !== undefined) {
      heads.push({ stream: chain.stream, revision: chain.count - 1, hash });
    }
  }
  return { streams: streams.length, events, unchained, checkpoints, position, heads, problems };
}

/** Every stream name in first-appearance order, by one subscription from the start. */
async function scanStreams(
  store: EventStore,
  every: number,
  progress: (message: string) => void,
): Promise<{ streams: string[]; scanned: number; position: Checkpoint | null }> {
  const seen = new Set<string>();
  let scanned = 0;
  let position: Checkpoint | null = null;
  let caughtUp!: () => void;
  let failed!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    caughtUp = resolve;
    failed = reject;
  });
  const subscription = await store.subscribe({
    from: "start",
    handler: async (event) => {
      seen.add(event.stream);
      if (position === null || comparePositions(event.position, position) > 0) position = event.position;
      if (++scanned % every === 0) progress(`scanned ${scanned} events in ${seen.size} streams`);
    },
    onCaughtUp: () => caughtUp(),
    onError: (error) => failed(error),
  });
  try {
    await done;
  } finally {
    await subscription.stop();
  }
  progress(`scanned ${scanned} events in ${seen.size} streams`);
  return { streams: [...seen], scanned, position };
}

type StreamProblem = AuditProblem & { readonly stream: string };

/** What changed since a checkpoint that a stream's own chain cannot show. */
export function compareWithCheckpoint(
  checkpoint: AuditCheckpoint,
  file: string,
  chains: ReadonlyMap<string, VerifiedChain>,
): StreamProblem[] {
  const problems: StreamProblem[] = [];
  for (const head of checkpoint.heads) {
    const chain = chains.get(head.stream);
    const base = { stream: head.stream, checkpoint: file };
    if (chain === undefined || chain.count === 0) {
      problems.push({
        ...base,
        kind: "removed",
        revision: 0,
        message: `stream ${head.stream} was removed: checkpoint ${file} recorded ${head.revision + 1} event(s)`,
      });
      continue;
    }
    // A problem inside the chain at or before the head is reported already, and says more.
    if (chain.problem !== undefined && chain.problem.revision <= head.revision) continue;
    if (chain.count <= head.revision) {
      problems.push({
        ...base,
        kind: "removed",
        revision: chain.count,
        message:
          `events at revisions ${chain.count}..${head.revision} of ${head.stream} were removed ` +
          `(the tail is cut off: checkpoint ${file} recorded ${head.revision + 1} events, the store has ${chain.count})`,
      });
      continue;
    }
    if (chain.hashes[head.revision] !== head.hash) {
      problems.push({
        ...base,
        kind: "altered",
        revision: head.revision,
        message: `${head.stream} up to revision ${head.revision} differs from checkpoint ${file}: events were rewritten`,
      });
    }
  }
  return problems;
}

// The configured file target (CERTPLANE_SECRETS_DIR) is written by mirrorSecret from the secret
// streams, not by a SecretTarget's publication worker, so its drift is put back here: the
// secret's stored state is written again, the same write a redelivered SecretWritten would make.
// A restarted publisher does not write again what its checkpoint says it wrote, so at start every
// stored secret is compared with its files once: what changed while the publisher was down is put
// back then, and from then on each is watched.
//
// Instances sharing the work may share one directory. Two writers of one secret race on its version
// directories and its link, so a secret's files are put back only by the holder of the secret
// stream's partition, the instance whose mirror reactor writes them: the comparison at start covers
// the partitions held, a partition gained is compared when it comes (its last holder may have
// stopped with drift not yet put back, or the files changed while nobody held it), and a partition
// lost is no longer judged or restored here.
import { parseStreamName, secretDecider, streams } from "@certplane/domain/model";
import { partitionOf } from "@certplane/event-store";
import type { Logger, TimerClock, WorkShare } from "@certplane/runtime";
import { FileSecretTarget } from "../adapters/file-secret-target.ts";
import { watchFileSecretDrift } from "../adapters/file-secret-target-drift.ts";
import { publishedSecretOf } from "../handlers/secret-changed.ts";
import type { PublisherContext } from "../publisher-context.ts";

/** Between two full comparisons of the published files: the backstop for what fs.watch misses. */
export const FILE_DRIFT_RESYNC_MS = 30_000;

export interface MirroredFileDriftOptions {
  readonly ctx: PublisherContext;
  /** The secret streams in the store now (TargetPublishing has read them all and keeps reading). */
  readonly secretStreams: () => readonly string[];
  readonly clock: TimerClock;
  readonly logger: Logger;
  /** When instances share the work: only the secrets of the partitions held here are compared and restored. */
  readonly share?: WorkShare;
}

/**
 * Writes the secret's stored state to `target` unless its files already hold it, which also makes
 * the target judge drift for it from then on; true when that linked a new version.
 */
async function restore(
  ctx: PublisherContext,
  target: FileSecretTarget,
  stream: string,
  logger: Logger,
): Promise<boolean> {
  const { namespace = "", name } = parseStreamName(stream);
  const ref = { namespace, name };
  const { state } = await ctx.runner.load(stream, secretDecider);
  // Deleted meanwhile: its own SecretDeleted removes the files. Next keys stay inside certplane.
  if (state.status !== "present" || state.owner.kind === "NextPrivateKey") return false;
  const before = await target.versionDirOf(ref);
  await target.write(publishedSecretOf(ctx, ref, state));
  if ((await target.versionDirOf(ref)) === before) return false;
  logger.info("published files restored from the store", {
    path: target.pathOf(ref),
    stream,
    secretVersion: state.version,
  });
  return true;
}

export interface MirroredFileDrift {
  /** Resolves once the comparisons and restores begun so far are done (their failures are logged, not thrown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Compares every configured file target with the store once, then watches it; `stop` ends the
 * watches. A comparison that fails is logged; the secret's next write or restore tries again.
 */
export function restoreMirroredFileDrift(options: MirroredFileDriftOptions): MirroredFileDrift {
  const { ctx, clock, logger, share } = options;
  const fileTargets = ctx.targets.filter(
    (target): target is FileSecretTarget => target instanceof FileSecretTarget,
  );
  const stopped = new AbortController();
  // holds() stays true while a lost partition's listeners run; the partition leaves this set
  // first, so no restore of its secrets starts once the loss is told.
  const working = new Set(share?.held() ?? []);
  const isMine = (stream: string) => {
    if (share === undefined) return true;
    const partition = partitionOf(stream, share.partitions);
    return working.has(partition) && share.holds(partition);
  };
  /** Restores under way: those of a lost partition are waited for, so they end before its lease goes. */
  const restoring = new Set<{ readonly stream: string; readonly done: Promise<boolean> }>();
  const restoreMine = async (target: FileSecretTarget, stream: string): Promise<boolean> => {
    if (!isMine(stream)) return false;
    const entry = { stream, done: restore(ctx, target, stream, logger) };
    restoring.add(entry);
    try {
      return await entry.done;
    } finally {
      restoring.delete(entry);
    }
  };

  let comparing = Promise.resolve();
  /** Compares the files of the secrets `selects` picks with the store, after the comparisons before. */
  const compare = (selects: (stream: string) => boolean) => {
    comparing = comparing
      .then(() =>
        Promise.all(
          fileTargets.map(async (target) => {
            const secretStreams = options.secretStreams().filter(selects);
            let restored = 0;
            try {
              for (const stream of secretStreams) {
                if (stopped.signal.aborted) return;
                if (await restoreMine(target, stream)) restored += 1;
              }
            } catch (error) {
              logger.warn("published files not compared with the store; each secret's next write does", {
                directory: target.directory,
                error,
              });
              return;
            }
            logger.info("published files compared with the store", {
              directory: target.directory,
              secrets: secretStreams.length,
              restored,
            });
          }),
        ),
      )
      .then(() => undefined);
  };

  compare(isMine);
  const unwatchPartitions = share?.onChange(async ({ gained, lost }) => {
    const wasLost = (stream: string) => lost.includes(partitionOf(stream, share.partitions));
    for (const index of lost) working.delete(index);
    await Promise.allSettled([...restoring].filter(({ stream }) => wasLost(stream)).map(({ done }) => done));
    for (const target of fileTargets)
      target.forget((ref) => wasLost(streams.secret(ref.namespace, ref.name)));
    for (const index of gained) working.add(index);
    if (gained.length > 0) compare((stream) => gained.includes(partitionOf(stream, share.partitions)));
  });
  const watches = fileTargets.map((target) =>
    watchFileSecretDrift({
      target,
      logger,
      pause: (signal) => clock.sleepUntil(new Date(clock.now().getTime() + FILE_DRIFT_RESYNC_MS), signal),
      onObserved: (copy) => {
        restoreMine(target, streams.secret(copy.namespace, copy.name)).catch((error: unknown) =>
          logger.warn("published files not restored; the next comparison tries again", {
            path: target.pathOf(copy),
            error,
          }),
        );
      },
    }),
  );
  return {
    async idle() {
      await comparing;
      await Promise.allSettled([...restoring].map(({ done }) => done));
    },
    async stop() {
      unwatchPartitions?.();
      stopped.abort();
      for (const watch of watches) watch.stop();
      await comparing;
    },
  };
}

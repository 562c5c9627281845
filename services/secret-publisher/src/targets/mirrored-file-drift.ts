// The configured file target (CERTPLANE_SECRETS_DIR) is written by mirrorSecret from the secret
// streams, not by a SecretTarget's publication worker, so its drift is put back here: the
// secret's stored state is written again, the same write a redelivered SecretWritten would make.
// A restarted publisher does not write again what its checkpoint says it wrote, so at start every
// stored secret is compared with its files once: what changed while the publisher was down is put
// back then, and from then on each is watched.
import { parseStreamName, secretDecider, streams } from "@certplane/domain/model";
import type { Logger, TimerClock } from "@certplane/runtime";
import { FileSecretTarget } from "../adapters/file-secret-target.ts";
import { watchFileSecretDrift } from "../adapters/file-secret-target-drift.ts";
import { publishedSecretOf } from "../handlers/secret-changed.ts";
import type { PublisherContext } from "../publisher-context.ts";
import type { SecretRef } from "../secrets/secret-target.ts";

/** Between two full comparisons of the published files: the backstop for what fs.watch misses. */
export const FILE_DRIFT_RESYNC_MS = 30_000;

export interface MirroredFileDriftOptions {
  readonly ctx: PublisherContext;
  /** Every secret stream in the store at start (TargetPublishing has read them all already). */
  readonly secretStreams: readonly string[];
  readonly clock: TimerClock;
  readonly logger: Logger;
}

async function restore(ctx: PublisherContext, target: FileSecretTarget, ref: SecretRef, logger: Logger) {
  const stream = streams.secret(ref.namespace, ref.name);
  const { state } = await ctx.runner.load(stream, secretDecider);
  // Deleted meanwhile: its own SecretDeleted removes the files.
  if (state.status !== "present") return;
  await target.write(publishedSecretOf(ctx, ref, state));
  logger.info("published files restored from the store", {
    path: target.pathOf(ref),
    stream,
    secretVersion: state.version,
  });
}

/**
 * Writes each present secret's stored state to `target` unless its files already hold it, which
 * also makes the target judge drift for it from then on.
 */
async function compareAtStart(
  ctx: PublisherContext,
  target: FileSecretTarget,
  secretStreams: readonly string[],
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  let restored = 0;
  for (const stream of secretStreams) {
    if (signal.aborted) return;
    const { namespace = "", name } = parseStreamName(stream);
    const ref = { namespace, name };
    const { state } = await ctx.runner.load(stream, secretDecider);
    if (state.status !== "present" || state.owner.kind === "NextPrivateKey") continue;
    const before = await target.versionDirOf(ref);
    await target.write(publishedSecretOf(ctx, ref, state));
    if ((await target.versionDirOf(ref)) !== before) restored += 1;
  }
  logger.info("published files compared with the store", {
    directory: target.directory,
    secrets: secretStreams.length,
    restored,
  });
}

export interface MirroredFileDrift {
  /** Resolves once the comparison at start is done (its failures are logged, not thrown). */
  readonly started: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Compares every configured file target with the store once, then watches it; `stop` ends the
 * watches. A comparison that fails is logged; the secret's next write or restore tries again.
 */
export function restoreMirroredFileDrift(options: MirroredFileDriftOptions): MirroredFileDrift {
  const { ctx, clock, logger } = options;
  const fileTargets = ctx.targets.filter(
    (target): target is FileSecretTarget => target instanceof FileSecretTarget,
  );
  const stopped = new AbortController();
  const started = Promise.all(
    fileTargets.map((target) =>
      compareAtStart(ctx, target, options.secretStreams, logger, stopped.signal).catch((error: unknown) =>
        logger.warn("published files not compared with the store at start; each secret's next write does", {
          error,
        }),
      ),
    ),
  );
  const watches = fileTargets.map((target) =>
    watchFileSecretDrift({
      target,
      logger,
      pause: (signal) => clock.sleepUntil(new Date(clock.now().getTime() + FILE_DRIFT_RESYNC_MS), signal),
      onObserved: (copy) => {
        restore(ctx, target, copy, logger).catch((error: unknown) =>
          logger.warn("published files not restored; the next comparison tries again", {
            path: target.pathOf(copy),
            error,
          }),
        );
      },
    }),
  );
  return {
    started: started.then(() => undefined),
    async stop() {
      stopped.abort();
      for (const watch of watches) watch.stop();
      await started;
    },
  };
}

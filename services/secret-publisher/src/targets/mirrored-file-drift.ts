// The configured file target (CERTPLANE_SECRETS_DIR) is written by mirrorSecret from the secret
// streams, not by a SecretTarget's publication worker, so its drift is put back here: the
// secret's stored state is written again, the same write a redelivered SecretWritten would make.
import { secretDecider, streams } from "@certplane/domain/model";
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

/** Watches every configured file target; `stop` ends the watches. */
export function restoreMirroredFileDrift(options: MirroredFileDriftOptions): { stop(): Promise<void> } {
  const { ctx, clock, logger } = options;
  const watches = ctx.targets
    .filter((target): target is FileSecretTarget => target instanceof FileSecretTarget)
    .map((target) =>
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
    async stop() {
      for (const watch of watches) watch.stop();
    },
  };
}

import type { RebuildReadModelsStatus } from "@certplane/api";
import { type Command, type CommandContext, rejectExtraWords, usageError } from "../command.ts";
import { progressReporter } from "../format/progress-bar.ts";

const usage = "certctl admin rebuild";
/** Each status long-poll: the server answers sooner whenever the rebuild moves on. */
const POLL_MS = 2_000;

/** Operator tasks on the control plane itself. */
export const adminCommand: Command = {
  name: "admin",
  usage,
  flags: [],
  async run(context) {
    const action = context.words[0];
    rejectExtraWords(context, 1, usage);
    if (action === "rebuild") return await rebuild(context);
    throw usageError(
      action === undefined
        ? `missing action rebuild; usage: ${usage}`
        : `unknown admin action "${action}"; accepted: rebuild`,
    );
  },
};

/**
 * Drops intake's read models and folds them again from every event, with a progress bar. The old
 * ones answer until the new ones are caught up, so this is safe on a live control plane.
 */
async function rebuild(context: CommandContext): Promise<number> {
  const { io } = context;
  const api = await context.api();
  const progress = progressReporter(io.stderr, "rebuilding read models", "events");
  let status: RebuildReadModelsStatus = await api.rebuildReadModels({});
  progress.update(status.folded, status.total);
  while (status.state === "running") {
    status = await api.rebuildReadModels({ id: status.id, waitMs: POLL_MS });
    progress.update(status.folded, status.total);
  }
  progress.finish();
  if (status.state === "failed") {
    io.stderr.write(
      `error: the read-model rebuild failed: ${status.message ?? "no reason given"}; the previous read models keep answering. See intake's log, then run "${usage}" again\n`,
    );
    return 1;
  }
  const seconds = ((Date.parse(status.finishedAt ?? "") - Date.parse(status.startedAt)) / 1000).toFixed(1);
  io.stdout.write(
    `read models rebuilt from ${status.folded.toLocaleString("en-US")} events (through position ${status.position ?? "-"}) in ${seconds}s; answering from them now\n`,
  );
  return 0;
}

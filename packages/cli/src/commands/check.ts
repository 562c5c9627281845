import type { ServerTarget } from "@certplane/api";
import { type Command, type CommandContext, rejectExtraWords, usageError } from "../command.ts";
import { explainConnectionError } from "../connection-errors.ts";
import { parseDurationFlag } from "../duration-flag.ts";
import { pollSleep } from "../poll.ts";

const usage = "certctl check api [--wait=DURATION]";

/**
 * cmctl's `check api`: one cheap read (the namespace list) proves the server is up and answers
 * the API; `--wait` retries until it does or the duration has passed.
 */
export const checkCommand: Command = {
  name: "check",
  usage,
  flags: ["wait"],
  async run(context) {
    if (context.words[0] !== "api") {
      throw usageError(
        `${context.words[0] === undefined ? "missing check" : `unknown check "${context.words[0]}"`}; usage: ${usage}`,
      );
    }
    rejectExtraWords(context, 1, usage);
    const waitMs = readWait(context.flags.wait);
    const { io } = context;
    const { sleep, interval } = pollSleep(io);
    const started = io.now().getTime();
    for (;;) {
      const failure = await probe(context.api, context.target);
      if (failure === undefined) {
        io.stdout.write(`The certplane API at ${serverUrl(context.target)} is ready\n`);
        return 0;
      }
      const elapsed = io.now().getTime() - started;
      if (elapsed >= waitMs) {
        io.stderr.write(`error: ${failure}\n`);
        return 1;
      }
      io.stderr.write(`Not ready: ${failure}\n`);
      await sleep(Math.min(interval, waitMs - elapsed));
    }
  },
};

/** cmctl polls once without `--wait`; a duration is required with it, as cmctl's is a duration flag. */
function readWait(wait: boolean | string | undefined): number {
  if (typeof wait === "string") return parseDurationFlag(wait, "--wait");
  if (wait === true) throw usageError("--wait needs a duration, e.g. --wait=2m");
  return 0;
}

/** Why the API did not answer, or undefined when it did. */
async function probe(api: CommandContext["api"], target: ServerTarget): Promise<string | undefined> {
  try {
    await (await api()).get({ kind: "Namespace" });
    return undefined;
  } catch (error) {
    const explained = explainConnectionError(error, target);
    return explained instanceof Error ? explained.message : String(explained);
  }
}

function serverUrl(target: ServerTarget): string {
  return target.transport === "nats" ? target.url : `${target.tls ? "grpcs" : "grpc"}://${target.address}`;
}

import type { Command } from "../command.ts";
import { rejectExtraWords, usageError } from "../command.ts";
import { completionScript, type Shell, shells } from "../completion-script.ts";

const usage = "certctl completion bash|zsh";

/**
 * Takes the table it completes as a function, because the table lists this command too: the
 * script is then built from the table as it is when the command runs.
 */
export function completionCommand(table: () => readonly Command[]): Command {
  return {
    name: "completion",
    usage,
    flags: [],
    async run(context) {
      const shell = context.words[0];
      if (!(shells as readonly (string | undefined)[]).includes(shell)) {
        const what = shell === undefined ? "missing shell" : `unsupported shell "${shell}"`;
        throw usageError(`${what}; accepted: ${shells.join(", ")}; usage: ${usage}`);
      }
      rejectExtraWords(context, 1, usage);
      context.io.stdout.write(completionScript(shell as Shell, table()));
      return 0;
    },
  };
}

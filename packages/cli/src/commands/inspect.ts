import { type Command, rejectExtraWords, requireWord, usageError } from "../command.ts";
import { inspectView } from "../format/certificate-view.ts";

const usage = "certctl inspect secret NAME [-n NAMESPACE]";

export const inspectCommand: Command = {
  name: "inspect",
  usage,
  flags: ["namespace"],
  async run(context) {
    if (context.words[0] !== "secret" && context.words[0] !== "secrets") {
      throw usageError(`certctl can inspect only secrets; usage: ${usage}`);
    }
    const name = requireWord(context, 1, "NAME", usage);
    rejectExtraWords(context, 2, usage);
    const api = await context.api();
    const response = await api.inspectSecret({ name, namespace: context.namespace });
    context.io.stdout.write(inspectView(response, context.io.now()));
    return 0;
  },
};

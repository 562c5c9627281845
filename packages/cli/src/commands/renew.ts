import { type Command, rejectExtraWords, usageError } from "../command.ts";

const usage = "certctl renew NAME [-n NAMESPACE] | certctl renew --all [-n NAMESPACE | -A]";

export const renewCommand: Command = {
  name: "renew",
  usage,
  flags: ["namespace", "all", "all-namespaces"],
  async run(context) {
    const name = context.words[0];
    rejectExtraWords(context, 1, usage);
    const all = context.flags.all === true;
    const allNamespaces = context.flags["all-namespaces"] === true;
    if ((name === undefined) === !all)
      throw usageError(`renew takes either a certificate NAME or --all; usage: ${usage}`);
    if (allNamespaces && !all) throw usageError("-A needs --all");
    const api = await context.api();
    const { renewed } = await api.renew(
      all
        ? { all, ...(allNamespaces ? { allNamespaces } : { namespace: context.namespace }) }
        : { name, namespace: context.namespace },
    );
    if (renewed.length === 0) context.io.stderr.write("No certificates were renewed.\n");
    for (const certificate of renewed) {
      context.io.stdout.write(`Manually triggered issuance of Certificate ${certificate}\n`);
    }
    return 0;
  },
};

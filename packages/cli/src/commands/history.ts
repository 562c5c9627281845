import { type Command, rejectExtraWords, requireWord } from "../command.ts";
import { formatTable } from "../format/table.ts";
import { resolveKind } from "../kinds.ts";

const usage = "certctl history certificate NAME [-n NAMESPACE]";

export const historyCommand: Command = {
  name: "history",
  usage,
  flags: ["namespace"],
  async run(context) {
    resolveKind(context.words[0], ["Certificate"]);
    const name = requireWord(context, 1, "NAME", usage);
    rejectExtraWords(context, 2, usage);
    const api = await context.api();
    const { revisions } = await api.history({ name, namespace: context.namespace });
    if (revisions.length === 0) {
      context.io.stderr.write(`No revisions found for certificate ${context.namespace}/${name}.\n`);
      return 0;
    }
    context.io.stdout.write(
      formatTable(
        ["REVISION", "REQUEST", "TRIGGER", "OUTCOME", "SERIAL", "NOT BEFORE", "NOT AFTER"],
        revisions.map((r) => [
          String(r.revision),
          r.requestName,
          r.trigger,
          r.outcome,
          r.serialNumber ?? "-",
          r.notBefore ?? "-",
          r.notAfter ?? "-",
        ]),
      ),
    );
    return 0;
  },
};

import { NotFoundError } from "@certplane/domain";
import { type Command, rejectExtraWords, requireWord } from "../command.ts";
import { resolveKind } from "../kinds.ts";

const usage = "certctl delete TYPE NAME [-n NAMESPACE]";

export const deleteCommand: Command = {
  name: "delete",
  usage,
  flags: ["namespace"],
  async run(context) {
    const info = resolveKind(context.words[0]);
    const name = requireWord(context, 1, "NAME", usage);
    rejectExtraWords(context, 2, usage);
    const api = await context.api();
    const namespace = info.namespaced ? context.namespace : undefined;
    const { deleted } = await api.delete({ kind: info.kind, name, ...(namespace ? { namespace } : {}) });
    if (!deleted) {
      throw new NotFoundError(
        `${info.plural} "${name}" not found${namespace ? ` in ${namespace} namespace` : ""}`,
      );
    }
    context.io.stdout.write(`${info.qualified} "${name}" deleted\n`);
    return 0;
  },
};

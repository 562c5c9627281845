import { parseAtFlag } from "../at-flag.ts";
import { type Command, rejectExtraWords, usageError } from "../command.ts";
import { renderDocument } from "../format/document.ts";
import { formatTable } from "../format/table.ts";

const usage = "certctl replay --at TIME|DURATION [-o json|yaml]";
const outputs = ["json", "yaml"] as const;

/** The whole system as it was at an instant: every object of every kind, with its status then. */
export const replayCommand: Command = {
  name: "replay",
  usage,
  flags: ["at", "output"],
  async run(context) {
    rejectExtraWords(context, 0, usage);
    if (context.flags.at === undefined) throw usageError(`missing --at; usage: ${usage}`);
    const output = context.flags.output;
    if (output !== undefined && !(outputs as readonly string[]).includes(output)) {
      throw usageError(`unknown output format "${output}" for -o; accepted: ${outputs.join(", ")}`);
    }
    const at = parseAtFlag(context.flags.at, context.io.now());
    const api = await context.api();
    const { items } = await api.replay({ at: at.toISOString() });
    const list = { apiVersion: "v1", kind: "List", metadata: { at: at.toISOString() }, items };
    if (output === "json" || output === "yaml") context.io.stdout.write(renderDocument(output, list));
    else {
      context.io.stdout.write(
        formatTable(
          ["KIND", "NAMESPACE", "NAME", "READY"],
          items.map((item) => [
            item.kind,
            item.metadata.namespace ?? "-",
            item.metadata.name,
            readyOf(item.status),
          ]),
        ),
      );
    }
    return 0;
  },
};

function readyOf(status: unknown): string {
  const conditions = (status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions;
  return conditions?.find((c) => c.type === "Ready")?.status ?? "-";
}

import type { ResourceObject } from "@certplane/api";
import { NotFoundError } from "@certplane/domain";
import { stringify } from "yaml";
import { parseAtFlag } from "../at-flag.ts";
import { type Command, type CommandContext, rejectExtraWords, usageError } from "../command.ts";
import { columnsFor } from "../format/resource-columns.ts";
import { formatTable } from "../format/table.ts";
import { type KindInfo, qualifiedKind, resolveKind } from "../kinds.ts";

const usage = "certctl get TYPE [NAME] [-n NAMESPACE | -A] [-o wide|yaml|json|name] [--at TIME|DURATION]";
const outputs = ["wide", "yaml", "json", "name"] as const;
type Output = (typeof outputs)[number] | "table";

export const getCommand: Command = {
  name: "get",
  usage,
  flags: ["namespace", "all-namespaces", "output", "at"],
  async run(context) {
    const info = resolveKind(context.words[0]);
    const name = context.words[1];
    rejectExtraWords(context, 2, usage);
    const output = readOutput(context.flags.output);
    const allNamespaces = info.namespaced && context.flags["all-namespaces"] === true;
    if (allNamespaces && name !== undefined) throw usageError("a NAME cannot be combined with -A");
    const at = context.flags.at === undefined ? undefined : parseAtFlag(context.flags.at, context.io.now());
    const api = await context.api();
    const { items } = await api.get({
      kind: info.kind,
      ...(name === undefined ? {} : { name }),
      ...(info.namespaced && !allNamespaces ? { namespace: context.namespace } : {}),
      ...(allNamespaces ? { allNamespaces } : {}),
      ...(at === undefined ? {} : { at: at.toISOString() }),
    });
    if (items.length === 0 && name !== undefined) {
      throw new NotFoundError(`${info.plural} "${name}" not found${where(context, info, false)}`);
    }
    if (items.length === 0 && (output === "table" || output === "wide")) {
      context.io.stderr.write(`No resources found${where(context, info, allNamespaces)}.\n`);
      return 0;
    }
    // Ages are counted from the instant shown.
    const now = at ?? context.io.now();
    context.io.stdout.write(render(items, info, output, name !== undefined, allNamespaces, now));
    return 0;
  },
};

function readOutput(value: string | undefined): Output {
  if (value === undefined) return "table";
  if ((outputs as readonly string[]).includes(value)) return value as Output;
  throw usageError(`unknown output format "${value}" for -o; accepted: ${outputs.join(", ")}`);
}

function where(context: CommandContext, info: KindInfo, allNamespaces: boolean): string {
  return info.namespaced && !allNamespaces ? ` in ${context.namespace} namespace` : "";
}

function render(
  items: readonly ResourceObject[],
  info: KindInfo,
  output: Output,
  single: boolean,
  allNamespaces: boolean,
  now: Date,
): string {
  // kubectl prints the object itself when one was named, and a List otherwise.
  const document = single && items.length === 1 ? items[0] : { apiVersion: "v1", kind: "List", items };
  switch (output) {
    case "json":
      return `${JSON.stringify(document, null, 2)}\n`;
    case "yaml":
      return stringify(document);
    case "name":
      return items.map((item) => `${qualifiedKind(item.kind)}/${item.metadata.name}\n`).join("");
    default: {
      const columns = columnsFor(info.kind, { wide: output === "wide", allNamespaces });
      return formatTable(
        columns.map((column) => column.header),
        items.map((item) => columns.map((column) => column.value(item, now))),
      );
    }
  }
}

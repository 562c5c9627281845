import type { GetRequest } from "@certplane/api";
import { NotFoundError } from "@certplane/domain";
import { parseAtFlag } from "../at-flag.ts";
import { type Command, type CommandContext, rejectExtraWords, usageError } from "../command.ts";
import { readGetOutput, renderItems } from "../format/get-output.ts";
import { type KindInfo, resolveKind } from "../kinds.ts";
import { watchChanges } from "./get-watch.ts";

const usage =
  "certctl get TYPE [NAME] [-n NAMESPACE | -A] [-o wide|yaml|json|name|jsonpath=TEMPLATE] [--at TIME|DURATION] [-w]";

export const getCommand: Command = {
  name: "get",
  usage,
  flags: ["namespace", "all-namespaces", "output", "at", "watch"],
  async run(context) {
    const info = resolveKind(context.words[0]);
    const name = context.words[1];
    rejectExtraWords(context, 2, usage);
    const output = readGetOutput(context.flags.output);
    const allNamespaces = info.namespaced && context.flags["all-namespaces"] === true;
    if (allNamespaces && name !== undefined) throw usageError("a NAME cannot be combined with -A");
    const watch = context.flags.watch === true;
    if (watch && context.flags.at !== undefined) {
      throw usageError("--watch follows changes from now on, so it cannot be combined with --at");
    }
    const at = context.flags.at === undefined ? undefined : parseAtFlag(context.flags.at, context.io.now());
    const api = await context.api();
    const request: GetRequest = {
      kind: info.kind,
      ...(name === undefined ? {} : { name }),
      ...(info.namespaced && !allNamespaces ? { namespace: context.namespace } : {}),
      ...(allNamespaces ? { allNamespaces } : {}),
      ...(at === undefined ? {} : { at: at.toISOString() }),
    };
    const { items } = await api.get(request);
    if (items.length === 0 && name !== undefined) {
      throw new NotFoundError(`${info.plural} "${name}" not found${where(context, info, false)}`);
    }
    const tabular = output.kind === "table" || output.kind === "wide";
    if (items.length === 0 && tabular) {
      context.io.stderr.write(`No resources found${where(context, info, allNamespaces)}.\n`);
    }
    const options = { info, single: name !== undefined, allNamespaces };
    if (items.length > 0 || !tabular) {
      // Ages are counted from the instant shown.
      context.io.stdout.write(renderItems(items, output, { ...options, now: at ?? context.io.now() }));
    }
    if (!watch) return 0;
    // Each change is printed as kubectl's watch prints it: one object at a time, with a header
    // only when no table was printed before it.
    let header = items.length === 0;
    await watchChanges(
      items,
      async () => (await api.get(request)).items,
      context.io,
      (object) => {
        const text = renderItems([object], output, {
          ...options,
          single: true,
          header,
          now: context.io.now(),
        });
        context.io.stdout.write(text);
        header = false;
      },
    );
    return 0;
  },
};

function where(context: CommandContext, info: KindInfo, allNamespaces: boolean): string {
  return info.namespaced && !allNamespaces ? ` in ${context.namespace} namespace` : "";
}

import type { CliIo } from "../cli-io.ts";
import { type Command, rejectExtraWords, usageError } from "../command.ts";
import { qualifiedKind } from "../kinds.ts";
import { readStdin, readTextFile } from "../read-input.ts";

const usage = "certctl apply -f FILE|- [-f FILE ...] [--dry-run] [-n NAMESPACE]";

export const applyCommand: Command = {
  name: "apply",
  usage,
  flags: ["filename", "dry-run", "namespace"],
  async run(context) {
    rejectExtraWords(context, 0, usage);
    const files = context.flags.filename ?? [];
    if (files.length === 0) throw usageError(`apply needs -f FILE (or -f - for stdin); usage: ${usage}`);
    const documents = await Promise.all(files.map((file) => readManifest(file, context.io)));
    const dryRun = context.flags["dry-run"] === true;
    const api = await context.api();
    const response = await api.apply({
      manifests: documents.join("\n---\n"),
      dryRun,
      defaultNamespace: context.namespace,
    });
    const suffix = response.dryRun ? " (dry run)" : "";
    for (const result of response.results) {
      context.io.stdout.write(`${qualifiedKind(result.kind)}/${result.name} ${result.outcome}${suffix}\n`);
    }
    return 0;
  },
};

function readManifest(file: string, io: CliIo): Promise<string> {
  return file === "-" ? readStdin(io) : readTextFile(file, "-f");
}

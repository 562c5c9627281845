import type { CliIo } from "../cli-io.ts";
import { type Command, rejectExtraWords, usageError } from "../command.ts";
import { parseDurationFlag } from "../duration-flag.ts";
import { qualifiedKind } from "../kinds.ts";
import { readStdin, readTextFile } from "../read-input.ts";
import { type AppliedCertificate, waitUntilReady } from "./apply-wait.ts";
import { DEFAULT_TIMEOUT } from "./wait.ts";

const usage = "certctl apply -f FILE|- [-f FILE ...] [--dry-run] [-n NAMESPACE] [--wait [--timeout=60s]]";

export const applyCommand: Command = {
  name: "apply",
  usage,
  flags: ["filename", "dry-run", "namespace", "wait", "timeout"],
  async run(context) {
    rejectExtraWords(context, 0, usage);
    const files = context.flags.filename ?? [];
    if (files.length === 0) throw usageError(`apply needs -f FILE (or -f - for stdin); usage: ${usage}`);
    const dryRun = context.flags["dry-run"] === true;
    const wait = readWait(context.flags.wait, context.flags.timeout, dryRun);
    const documents = await Promise.all(files.map((file) => readManifest(file, context.io)));
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
    if (wait === undefined) return 0;
    const certificates: AppliedCertificate[] = response.results.flatMap((result) =>
      result.kind === "Certificate" && result.outcome !== "pruned"
        ? [{ name: result.name, namespace: result.namespace ?? context.namespace }]
        : [],
    );
    return await waitUntilReady(api, certificates, wait.timeoutMs, context.io);
  },
};

/** `--wait` is a switch here (cmctl's `check api` gives it a duration); `--timeout` bounds it. */
function readWait(
  wait: boolean | string | undefined,
  timeout: string | undefined,
  dryRun: boolean,
): { readonly timeoutMs: number } | undefined {
  if (typeof wait === "string")
    throw usageError("apply --wait takes no value; bound it with --timeout=DURATION");
  if (wait !== true) {
    if (timeout !== undefined) throw usageError("--timeout bounds --wait; pass --wait too");
    return undefined;
  }
  if (dryRun) throw usageError("--wait cannot be combined with --dry-run: nothing is applied to wait for");
  return { timeoutMs: parseDurationFlag(timeout ?? DEFAULT_TIMEOUT, "--timeout") };
}

function readManifest(file: string, io: CliIo): Promise<string> {
  return file === "-" ? readStdin(io) : readTextFile(file, "-f");
}

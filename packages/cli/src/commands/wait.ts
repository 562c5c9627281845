import type { CertplaneApi, ResourceObject } from "@certplane/api";
import { isCertplaneError, ValidationError } from "@certplane/domain";
import type { CliIo } from "../cli-io.ts";
import { type Command, rejectExtraWords, requireWord, usageError } from "../command.ts";
import { parseDurationFlag } from "../duration-flag.ts";
import { formatAge } from "../format/age.ts";
import { type ConditionView, conditionOf, summarizeCondition } from "../format/conditions.ts";
import { type KindInfo, resolveKind } from "../kinds.ts";
import { pollSleep } from "../poll.ts";

const usage = "certctl wait TYPE NAME --for=condition=Ready[=True|False] [--timeout=60s] [-n NAMESPACE]";
export const DEFAULT_TIMEOUT = "60s";

export interface WaitTarget {
  readonly info: KindInfo;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly conditionType: string;
  readonly wanted: string;
}

export const waitCommand: Command = {
  name: "wait",
  usage,
  flags: ["namespace", "for", "timeout"],
  async run(context) {
    const info = resolveKind(context.words[0], [
      "Certificate",
      "CertificateRequest",
      "Issuer",
      "ClusterIssuer",
    ]);
    const name = requireWord(context, 1, "NAME", usage);
    rejectExtraWords(context, 2, usage);
    const { conditionType, wanted } = parseFor(context.flags.for);
    const timeoutMs = parseDurationFlag(context.flags.timeout ?? DEFAULT_TIMEOUT, "--timeout");
    const target = {
      info,
      name,
      namespace: info.namespaced ? context.namespace : undefined,
      conditionType,
      wanted,
    };
    return await poll(await context.api(), target, timeoutMs, context.io);
  },
};

function parseFor(value: string | undefined): { conditionType: string; wanted: string } {
  if (value === undefined) throw usageError(`--for is required, e.g. --for=condition=Ready; usage: ${usage}`);
  const match = /^condition=([A-Za-z]+)(?:=(True|False|Unknown))?$/.exec(value);
  if (match === null) {
    throw ValidationError.of("--for", "condition", `must be condition=TYPE[=True|False], got "${value}"`);
  }
  return { conditionType: match[1] ?? "", wanted: match[2] ?? "True" };
}

async function poll(api: CertplaneApi, target: WaitTarget, timeoutMs: number, io: CliIo): Promise<number> {
  const { sleep, interval } = pollSleep(io);
  const started = io.now().getTime();
  const ref = `${target.info.plural}/${target.name}`;
  let lastSummary: string | undefined;
  for (;;) {
    const condition = await readCondition(api, target);
    const summary =
      condition === null ? "not found yet" : summarizeCondition(target.conditionType, condition);
    const elapsed = io.now().getTime() - started;
    if (condition?.status === target.wanted) {
      io.stdout.write(`${target.info.qualified}/${target.name} condition met\n`);
      return 0;
    }
    if (summary !== lastSummary) {
      io.stderr.write(`waiting for ${ref}: ${summary} (${formatAge(elapsed)} elapsed)\n`);
      lastSummary = summary;
    }
    if (elapsed >= timeoutMs) {
      io.stderr.write(`error: timed out waiting for the condition on ${ref}; last status: ${summary}\n`);
      return 1;
    }
    await sleep(Math.min(interval, timeoutMs - elapsed));
  }
}

/** The condition, undefined while the object has not reported it, null while the object is not visible. */
export async function readCondition(
  api: CertplaneApi,
  target: WaitTarget,
): Promise<ConditionView | undefined | null> {
  let items: readonly ResourceObject[];
  try {
    ({ items } = await api.get({
      kind: target.info.kind,
      name: target.name,
      ...(target.namespace === undefined ? {} : { namespace: target.namespace }),
    }));
  } catch (error) {
    // Read models catch up after an apply, so a just-applied object may not be visible yet.
    if (isCertplaneError(error) && error.code === "NOT_FOUND") return null;
    throw error;
  }
  const [object] = items;
  return object === undefined ? null : conditionOf(object, target.conditionType);
}

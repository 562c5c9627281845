import type { CertplaneApi } from "@certplane/api";
import type { CliIo } from "../cli-io.ts";
import { type ConditionView, summarizeCondition } from "../format/conditions.ts";
import { kindInfo } from "../kinds.ts";
import { pollSleep } from "../poll.ts";
import { readCondition, type WaitTarget } from "./wait.ts";

export interface AppliedCertificate {
  readonly name: string;
  readonly namespace: string;
}

/**
 * `apply --wait`: polls every applied Certificate until all are Ready, writing `2/3 certificates
 * ready` to stderr whenever the count moves; on timeout names each one not Ready with its
 * Ready condition, and returns 1.
 */
export async function waitUntilReady(
  api: CertplaneApi,
  certificates: readonly AppliedCertificate[],
  timeoutMs: number,
  io: CliIo,
): Promise<number> {
  const { sleep, interval } = pollSleep(io);
  const started = io.now().getTime();
  const targets = certificates.map(toTarget);
  let lastCount: number | undefined;
  for (;;) {
    const conditions = await Promise.all(targets.map((target) => readCondition(api, target)));
    const notReady = targets.flatMap((target, i) =>
      conditions[i]?.status === "True" ? [] : [{ target, condition: conditions[i] }],
    );
    const count = targets.length - notReady.length;
    if (count !== lastCount) {
      io.stderr.write(`${count}/${targets.length} certificates ready\n`);
      lastCount = count;
    }
    if (notReady.length === 0) return 0;
    const elapsed = io.now().getTime() - started;
    if (elapsed >= timeoutMs) {
      io.stderr.write(
        `error: timed out waiting for ${notReady.length} of ${targets.length} certificates to be Ready:\n` +
          notReady.map(({ target, condition }) => `  ${refOf(target)}: ${describe(condition)}\n`).join(""),
      );
      return 1;
    }
    await sleep(Math.min(interval, timeoutMs - elapsed));
  }
}

function toTarget(certificate: AppliedCertificate): WaitTarget {
  const info = kindInfo("Certificate");
  if (info === undefined) throw new Error("the Certificate kind is always listed");
  return { info, ...certificate, conditionType: "Ready", wanted: "True" };
}

function refOf(target: WaitTarget): string {
  return `${target.info.qualified}/${target.name} -n ${target.namespace}`;
}

function describe(condition: ConditionView | undefined | null): string {
  return condition === null ? "not found" : summarizeCondition("Ready", condition);
}

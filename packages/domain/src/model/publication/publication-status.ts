import type { StoredCondition } from "../conditions.ts";
import type { PublicationState } from "./publication.ts";

/** One target's line in a Certificate's status: which revision it holds and what last went wrong. */
export interface TargetPublicationStatus {
  readonly target: string;
  /** The Certificate revision whose Secret the target holds; absent before the first publication. */
  readonly revision?: number;
  readonly upToDate: boolean;
  readonly publishedAt?: string;
  readonly copies?: readonly {
    readonly location: string;
    readonly namespace: string;
    readonly name: string;
  }[];
  readonly lastError?: {
    readonly reason: string;
    readonly message: string;
    readonly at: string;
    readonly retryAt?: string;
  };
}

export interface CertificatePublication {
  readonly targets: readonly TargetPublicationStatus[];
  /** `Published`: whether every target holds the current Secret; absent when no target selects it. */
  readonly condition?: StoredCondition;
}

/**
 * Ready stays about issuance; `Published` says whether every selected target holds the Secret as
 * it is now. `revisionOfSerial` maps a published leaf back to the revision that issued it.
 */
export function certificatePublication(input: {
  readonly expectedTargets: readonly string[];
  readonly publications: ReadonlyMap<string, PublicationState>;
  readonly currentSecretVersion: number | undefined;
  readonly revisionOfSerial: (serial: string) => number | undefined;
  readonly observedGeneration: number;
  /** The read time, for a condition no target has reported on yet. */
  readonly now: string;
}): CertificatePublication {
  const targets = input.expectedTargets.map((target): TargetPublicationStatus => {
    const state = input.publications.get(target);
    const published = state?.published;
    const failure = state?.failure;
    const revision =
      published?.serialNumber === undefined ? undefined : input.revisionOfSerial(published.serialNumber);
    return {
      target,
      ...(revision === undefined ? {} : { revision }),
      upToDate:
        published !== undefined &&
        failure === undefined &&
        published.secretVersion === input.currentSecretVersion,
      ...(published === undefined
        ? {}
        : {
            publishedAt: published.publishedAt,
            copies: published.copies.map(({ location, namespace, name }) => ({ location, namespace, name })),
          }),
      ...(failure === undefined
        ? {}
        : {
            lastError: {
              reason: failure.reason,
              message: failure.message,
              at: failure.failedAt,
              ...(failure.retryAt === undefined ? {} : { retryAt: failure.retryAt }),
            },
          }),
    };
  });
  if (targets.length === 0 || input.currentSecretVersion === undefined) return { targets };
  const behind = targets.filter((t) => !t.upToDate);
  // The condition changed when a target last reported; read time would make it move on every get.
  const reported = targets.flatMap((t) => [t.publishedAt, t.lastError?.at]).filter((at) => at !== undefined);
  const lastTransitionTime = reported.length === 0 ? input.now : reported.sort().at(-1)!;
  const condition: StoredCondition =
    behind.length === 0
      ? {
          type: "Published",
          status: "True",
          reason: "Published",
          message: `The Secret is published to all ${targets.length} target(s)`,
          lastTransitionTime,
          observedGeneration: input.observedGeneration,
        }
      : {
          type: "Published",
          status: "False",
          reason: behind.some((t) => t.lastError) ? "PublishFailed" : "Publishing",
          message: behind
            .map((t) =>
              t.lastError
                ? `${t.target}: ${t.lastError.message}${t.lastError.retryAt ? ` (retrying at ${t.lastError.retryAt})` : ""}`
                : `${t.target}: not yet holding the current Secret`,
            )
            .join("; "),
          lastTransitionTime,
          observedGeneration: input.observedGeneration,
        };
  return { targets, condition };
}

// One Secret's publication to one SecretTarget: the secret-publisher's `publication-<ns>_<secret>:<target>`
// stream. Each target's story is its own stream, so a cluster that is down never contends with, or
// delays, the record of the others.
import type { Decider } from "../../decider.ts";
import type { BackoffPolicy } from "../backoff.ts";
import { backoffDelayMs } from "../backoff.ts";
import { jsonEqual } from "../object-meta.ts";

/** Where one copy of the Secret landed: a namespace of a cluster, a directory, … */
export interface PublishedCopy {
  /** The cluster's server URL, or the directory of a file target. */
  readonly location: string;
  readonly namespace: string;
  readonly name: string;
  /** Kubernetes' resourceVersion after the write, when the destination has one. */
  readonly resourceVersion?: string;
}

/** Which content of the Secret a publication carried, so readers can tell whether it is current. */
export interface PublishedContent {
  /** The version of the `secret-…` stream whose content was published. */
  readonly secretVersion: number;
  /** The leaf's serial (hex), which names the Certificate revision that issued it. */
  readonly serialNumber?: string;
}

export type PublicationCommand =
  | ({
      readonly type: "RecordPublished";
      readonly copies: readonly PublishedCopy[];
      readonly now: string;
    } & PublishedContent)
  | ({
      readonly type: "RecordPublicationFailed";
      readonly reason: string;
      readonly message: string;
      readonly retryable: boolean;
      readonly policy: BackoffPolicy;
      readonly now: string;
    } & PublishedContent)
  | { readonly type: "RecordUnpublished"; readonly reason: string; readonly now: string };

export type PublicationEvent =
  | {
      readonly type: "SecretPublished";
      readonly data: PublishedContent & {
        readonly target: string;
        readonly copies: readonly PublishedCopy[];
        readonly publishedAt: string;
      };
    }
  | {
      readonly type: "SecretPublicationFailed";
      readonly data: PublishedContent & {
        readonly target: string;
        readonly reason: string;
        readonly message: string;
        readonly attempt: number;
        /** Absent when retrying cannot help (a permission, a missing namespace): the next change retries. */
        readonly retryAt?: string;
        readonly failedAt: string;
      };
    }
  | {
      readonly type: "SecretUnpublished";
      readonly data: { readonly target: string; readonly reason: string; readonly unpublishedAt: string };
    };

export interface PublicationFailure {
  readonly reason: string;
  readonly message: string;
  readonly attempt: number;
  readonly retryAt?: string;
  readonly failedAt: string;
  readonly secretVersion: number;
}

export interface PublicationState {
  readonly target: string;
  /** What the target holds now; absent before the first publication and after unpublishing. */
  readonly published?: PublishedContent & {
    readonly copies: readonly PublishedCopy[];
    readonly publishedAt: string;
  };
  /** The failure since the last success; cleared by the next success. */
  readonly failure?: PublicationFailure;
}

export function initialPublicationState(target: string): PublicationState {
  return { target };
}

export function evolvePublication(state: PublicationState, event: PublicationEvent): PublicationState {
  switch (event.type) {
    case "SecretPublished": {
      const { target, ...published } = event.data;
      return { target, published };
    }
    case "SecretPublicationFailed": {
      const { target: _t, serialNumber: _s, ...failure } = event.data;
      return { ...state, failure };
    }
    case "SecretUnpublished":
      return { target: state.target };
  }
}

/** A target that is down is retried soon and then less often, never more than five minutes apart. */
export const publicationBackoffPolicy: BackoffPolicy = Object.freeze({ minMs: 5_000, maxMs: 300_000 });

/** The decider for one publication stream; `target` names the SecretTarget the stream belongs to. */
export function publicationDecider(
  target: string,
): Decider<PublicationCommand, PublicationEvent, PublicationState> {
  return {
    initialState: () => initialPublicationState(target),
    decide(command, state) {
      switch (command.type) {
        case "RecordPublished": {
          const { type: _type, now, ...content } = command;
          const current = state.published;
          if (
            state.failure === undefined &&
            current !== undefined &&
            jsonEqual({ ...current, publishedAt: undefined }, { ...content, publishedAt: undefined })
          )
            return [];
          return [{ type: "SecretPublished", data: { target, ...content, publishedAt: now } }];
        }
        case "RecordPublicationFailed": {
          const attempt = (state.failure?.attempt ?? 0) + 1;
          const retryAt = command.retryable
            ? new Date(Date.parse(command.now) + backoffDelayMs(attempt, command.policy)).toISOString()
            : undefined;
          return [
            {
              type: "SecretPublicationFailed",
              data: {
                target,
                secretVersion: command.secretVersion,
                ...(command.serialNumber === undefined ? {} : { serialNumber: command.serialNumber }),
                reason: command.reason,
                message: command.message,
                attempt,
                ...(retryAt === undefined ? {} : { retryAt }),
                failedAt: command.now,
              },
            },
          ];
        }
        case "RecordUnpublished":
          if (state.published === undefined && state.failure === undefined) return [];
          return [
            {
              type: "SecretUnpublished",
              data: { target, reason: command.reason, unpublishedAt: command.now },
            },
          ];
      }
    },
    evolve: evolvePublication,
  };
}

// A SecretTarget as stored: intake's `secretTarget-<name>` stream, applied and deleted by users.
import type { Decider } from "../../decider.ts";
import { NotFoundError } from "../../errors.ts";
import type { SecretTargetSpec } from "../../resources/secret-target.ts";
import type { StoredObjectMeta } from "../object-meta.ts";
import type { ApplyInput } from "../resource-lifecycle.ts";
import { planApply } from "../resource-lifecycle.ts";

export type SecretTargetCommand =
  | ({ readonly type: "ApplySecretTarget" } & ApplyInput<SecretTargetSpec>)
  | { readonly type: "DeleteSecretTarget"; readonly now: string };

export type SecretTargetEvent =
  | {
      readonly type: "SecretTargetApplied";
      readonly data: {
        readonly meta: StoredObjectMeta;
        readonly spec: SecretTargetSpec;
        readonly appliedAt: string;
      };
    }
  | { readonly type: "SecretTargetDeleted"; readonly data: { readonly deletedAt: string } }
  | { readonly type: "SecretTargetReadinessChanged"; readonly data: SecretTargetReadiness };

/**
 * Whether the publisher can reach the destination with the target's credentials, judged for one
 * generation of the spec (the secret-publisher's `secretTargetStatus-<name>` stream).
 */
export interface SecretTargetReadiness {
  readonly status: "True" | "False";
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration: number;
  readonly at: string;
}

export type SecretTargetStatusCommand = {
  readonly type: "SetSecretTargetReadiness";
  readonly generation: number;
  readonly status: "True" | "False";
  readonly reason: string;
  readonly message: string;
  readonly now: string;
};

export interface ExistingSecretTarget {
  readonly status: "active" | "deleted";
  readonly meta: StoredObjectMeta;
  readonly spec: SecretTargetSpec;
  readonly readiness?: SecretTargetReadiness;
}

export type SecretTargetState = { readonly status: "absent" } | ExistingSecretTarget;

export const initialSecretTargetState = (): SecretTargetState => ({ status: "absent" });

export function evolveSecretTarget(state: SecretTargetState, event: SecretTargetEvent): SecretTargetState {
  switch (event.type) {
    case "SecretTargetApplied":
      return {
        status: "active",
        meta: event.data.meta,
        spec: event.data.spec,
        ...(state.status === "active" && state.readiness ? { readiness: state.readiness } : {}),
      };
    case "SecretTargetDeleted":
      return state.status === "active" ? { ...state, status: "deleted" } : state;
    case "SecretTargetReadinessChanged":
      return state.status === "active" ? { ...state, readiness: event.data } : state;
  }
}

export const secretTargetDecider: Decider<SecretTargetCommand, SecretTargetEvent, SecretTargetState> = {
  initialState: initialSecretTargetState,
  decide(command, state) {
    if (command.type === "ApplySecretTarget") {
      const plan = planApply(state.status === "active" ? state : undefined, command);
      if (plan.kind === "unchanged") return [];
      return [
        {
          type: "SecretTargetApplied",
          data: { meta: plan.meta, spec: command.spec, appliedAt: command.now },
        },
      ];
    }
    if (state.status !== "active") throw new NotFoundError("secret target not found");
    return [{ type: "SecretTargetDeleted", data: { deletedAt: command.now } }];
  },
  evolve: evolveSecretTarget,
};

/** A SecretTarget's readiness, owned by the secret-publisher; recorded only when it changes. */
export const secretTargetStatusDecider: Decider<
  SecretTargetStatusCommand,
  SecretTargetEvent,
  SecretTargetState
> = {
  initialState: initialSecretTargetState,
  decide(command, state) {
    if (state.status !== "active" || command.generation !== state.meta.generation) return [];
    const current = state.readiness;
    if (
      current?.observedGeneration === command.generation &&
      current.status === command.status &&
      current.reason === command.reason &&
      current.message === command.message
    )
      return [];
    const { status, reason, message, generation, now } = command;
    return [
      {
        type: "SecretTargetReadinessChanged",
        data: { status, reason, message, observedGeneration: generation, at: now },
      },
    ];
  },
  evolve: evolveSecretTarget,
};

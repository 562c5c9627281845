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
  | { readonly type: "SecretTargetDeleted"; readonly data: { readonly deletedAt: string } };

export interface ExistingSecretTarget {
  readonly status: "active" | "deleted";
  readonly meta: StoredObjectMeta;
  readonly spec: SecretTargetSpec;
}

export type SecretTargetState = { readonly status: "absent" } | ExistingSecretTarget;

export const initialSecretTargetState = (): SecretTargetState => ({ status: "absent" });

export function evolveSecretTarget(state: SecretTargetState, event: SecretTargetEvent): SecretTargetState {
  switch (event.type) {
    case "SecretTargetApplied":
      return { status: "active", meta: event.data.meta, spec: event.data.spec };
    case "SecretTargetDeleted":
      return state.status === "active" ? { ...state, status: "deleted" } : state;
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

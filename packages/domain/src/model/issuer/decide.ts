import type { Decider } from "../../decider.ts";
import { NotFoundError } from "../../errors.ts";
import { planApply } from "../resource-lifecycle.ts";
import type { IssuerCommand } from "./commands.ts";
import type { IssuerEvent } from "./events.ts";
import { evolveIssuer } from "./evolve.ts";
import type { IssuerState } from "./state.ts";
import { initialIssuerState } from "./state.ts";

/**
 * An issuer's spec, owned by intake; folded together with its status stream (readiness, ACME
 * account), so readers see one issuer.
 */
export const issuerDecider: Decider<IssuerCommand, IssuerEvent, IssuerState> = {
  initialState: initialIssuerState,
  decide(command, state) {
    if (command.type === "ApplyIssuer") {
      const plan = planApply(state.status === "active" ? state : undefined, command);
      if (plan.kind === "unchanged") return [];
      return [
        { type: "IssuerApplied", data: { meta: plan.meta, spec: command.spec, appliedAt: command.now } },
      ];
    }
    if (state.status !== "active") throw new NotFoundError("issuer not found");
    return [{ type: "IssuerDeleted", data: { deletedAt: command.now } }];
  },
  evolve: evolveIssuer,
};

import type { Decider } from "../../decider.ts";
import { planApply } from "../resource-lifecycle.ts";
import type { CertificateSpecCommand } from "./commands.ts";
import type { CertificateEvent } from "./events.ts";
import { evolveCertificate } from "./evolve.ts";
import type { CertificateState } from "./state.ts";
import { initialCertificateState, requireActive } from "./state.ts";

/**
 * Applying records the spec and nothing else: whether it needs a new certificate is the
 * renewal-scheduler's one trigger decision, made when it sees the change.
 */
function decideApply(
  command: Extract<CertificateSpecCommand, { type: "ApplyCertificate" }>,
  state: CertificateState,
): CertificateEvent[] {
  const plan = planApply(state.status === "active" ? state : undefined, command);
  if (plan.kind === "unchanged") return [];
  return [
    { type: "CertificateApplied", data: { meta: plan.meta, spec: command.spec, appliedAt: command.now } },
  ];
}

/**
 * The Certificate's spec, owned by intake. Its state is folded together with the issuance record
 * (the certificate's `certificateIssuance-…` companion stream), so both deciders see one object.
 */
export const certificateDecider: Decider<CertificateSpecCommand, CertificateEvent, CertificateState> = {
  initialState: initialCertificateState,
  decide(command, state) {
    if (command.type === "ApplyCertificate") return decideApply(command, state);
    requireActive(state);
    return [{ type: "CertificateDeleted", data: { deletedAt: command.now } }];
  },
  evolve: evolveCertificate,
};

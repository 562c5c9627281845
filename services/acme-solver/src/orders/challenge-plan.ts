import type { AcmeChallengeSolver } from "@certplane/domain";
import type { ExistingOrder, OrderAuthorization, OrderChallengeOffer } from "@certplane/domain/model";
import { challengeNameFor } from "./names.ts";
import { type SelectedSolver, selectSolver } from "./solver-selection.ts";

// Which Challenge an authorization gets. The gather step needs it to know which Challenge streams
// to read, and nextOrderStep to decide on them, so both call this one function.

export interface ChallengePlan {
  readonly authorization: OrderAuthorization;
  readonly selected: SelectedSolver;
  readonly offer: OrderChallengeOffer;
  readonly name: string;
}

/** A valid authorization (one the server reused) needs no Challenge. */
export function pendingAuthorizations(order: ExistingOrder): readonly OrderAuthorization[] {
  return (order.authorizations ?? []).filter((authz) => authz.initialState !== "valid");
}

/** The solver for the authorization and the server's offer of its type; or why there is none. */
export function planChallenge(
  order: ExistingOrder,
  authorization: OrderAuthorization,
  solvers: readonly AcmeChallengeSolver[],
): ChallengePlan | { readonly reason: string } {
  const selected = selectSolver(solvers, {
    dnsName: authorization.identifier,
    wildcard: authorization.wildcard,
    labels: order.meta.labels ?? {},
    offered: authorization.challenges.map((c) => c.type),
  });
  if ("reason" in selected) {
    return { reason: `Failed to determine a valid solver configuration: ${selected.reason}` };
  }
  const offer = authorization.challenges.find((c) => c.type === selected.type.toLowerCase());
  if (!offer) {
    return { reason: `the server offers no ${selected.type} challenge for "${authorization.identifier}"` };
  }
  return {
    authorization,
    selected,
    offer,
    name: challengeNameFor(order.meta.name, authorization.url, offer.type),
  };
}

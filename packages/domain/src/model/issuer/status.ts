import type { StoredCondition } from "../conditions.ts";
import type { ExistingIssuer } from "./state.ts";

/** Until the signer has checked the current generation, the issuer's readiness is Unknown. */
export function issuerReadyCondition(state: ExistingIssuer): StoredCondition {
  const readiness = state.readiness;
  if (!readiness || readiness.observedGeneration !== state.meta.generation) {
    return {
      type: "Ready",
      status: "Unknown",
      reason: "Pending",
      message: "Waiting for the issuer to be checked",
      lastTransitionTime: state.meta.creationTimestamp,
      observedGeneration: readiness?.observedGeneration ?? 0,
    };
  }
  return {
    type: "Ready",
    status: readiness.status,
    reason: readiness.reason,
    message: readiness.message,
    lastTransitionTime: readiness.at,
    observedGeneration: readiness.observedGeneration,
  };
}

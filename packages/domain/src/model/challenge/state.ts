import { NotFoundError } from "../../errors.ts";
import type { AcmeProblem, AcmeStatus } from "../acme-problem.ts";
import type { ChallengeMeta, ChallengeSpecFields } from "./events.ts";

export type ChallengeState = { readonly status: "absent" } | ExistingChallenge;

export interface ExistingChallenge {
  readonly status: "present";
  readonly meta: ChallengeMeta;
  readonly spec: ChallengeSpecFields;
  /** "" until the flow has started, like cert-manager's empty status.state. */
  readonly state: AcmeStatus | "";
  readonly presented: boolean;
  readonly presentedAt?: string;
  readonly selfCheckPassed: boolean;
  readonly accepted: boolean;
  readonly cleanedUp: boolean;
  readonly reason?: string;
  readonly problem?: AcmeProblem;
  readonly createdAt: string;
}

export const initialChallengeState = (): ChallengeState => ({ status: "absent" });

export function isChallengeFinal(challenge: ExistingChallenge): boolean {
  return ["valid", "invalid", "expired", "errored"].includes(challenge.state);
}

export function requireChallenge(state: ChallengeState): ExistingChallenge {
  if (state.status === "absent") throw new NotFoundError("challenge not found");
  return state;
}

import type { AcmeFailureStatus, AcmeProblem } from "../acme-problem.ts";
import type { ChallengeMeta, ChallengeSpecFields } from "./events.ts";

export type ChallengeCommand =
  | {
      readonly type: "CreateChallenge";
      readonly meta: ChallengeMeta;
      readonly spec: ChallengeSpecFields;
      readonly now: string;
    }
  | { readonly type: "RecordChallengePresented"; readonly now: string }
  | { readonly type: "RecordChallengeSelfCheckPassed"; readonly now: string }
  | { readonly type: "RecordChallengeAccepted"; readonly now: string }
  | { readonly type: "RecordChallengeValid"; readonly now: string }
  | {
      readonly type: "FailChallenge";
      readonly state: AcmeFailureStatus;
      readonly reason: string;
      readonly problem?: AcmeProblem;
      readonly now: string;
    }
  | { readonly type: "RecordChallengeCleanedUp"; readonly now: string };

import type { Decider } from "../decider.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import type { AcmeChallengeSolver } from "../resources/acme-solver.ts";
import type { AcmeFailureStatus, AcmeProblem, AcmeStatus } from "./acme-problem.ts";
import { describeProblem } from "./acme-problem.ts";
import { jsonEqual } from "./object-meta.ts";

export type ChallengeKind = "HTTP-01" | "DNS-01";

/** A snapshot taken when the Order made the Challenge; immutable (model §4). */
export interface ChallengeSpecFields {
  readonly url: string;
  readonly authorizationURL: string;
  /** Without the `*.` of a wildcard identifier. */
  readonly dnsName: string;
  readonly wildcard: boolean;
  readonly type: ChallengeKind;
  readonly token: string;
  /** HTTP-01: the key authorization `token.thumbprint`; DNS-01: base64url(SHA-256) of it. Not secret. */
  readonly key: string;
  readonly solver: AcmeChallengeSolver;
  readonly issuerRef: { readonly name: string; readonly kind?: string; readonly group?: string };
}

export interface ChallengeMeta {
  readonly namespace: string;
  readonly name: string;
  readonly orderName: string;
}

export type ChallengeEvent =
  | {
      readonly type: "ChallengeCreated";
      readonly data: {
        readonly meta: ChallengeMeta;
        readonly spec: ChallengeSpecFields;
        readonly createdAt: string;
      };
    }
  | { readonly type: "ChallengePresented"; readonly data: { readonly at: string } }
  | { readonly type: "ChallengeSelfCheckPassed"; readonly data: { readonly at: string } }
  | { readonly type: "ChallengeAccepted"; readonly data: { readonly at: string } }
  | { readonly type: "ChallengeValidated"; readonly data: { readonly at: string } }
  | {
      readonly type: "ChallengeFailed";
      readonly data: {
        readonly state: AcmeFailureStatus;
        readonly reason: string;
        readonly problem?: AcmeProblem;
        readonly at: string;
      };
    }
  | { readonly type: "ChallengeCleanedUp"; readonly data: { readonly at: string } };

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

export function isChallengeFinal(challenge: ExistingChallenge): boolean {
  return ["valid", "invalid", "expired", "errored"].includes(challenge.state);
}

function requireChallenge(state: ChallengeState): ExistingChallenge {
  if (state.status === "absent") throw new NotFoundError("challenge not found");
  return state;
}

/** Steps of an open challenge happen once each, in order; a repeated step changes nothing. */
function openStep(state: ChallengeState, done: (c: ExistingChallenge) => boolean): boolean {
  const challenge = requireChallenge(state);
  return !isChallengeFinal(challenge) && !done(challenge);
}

export const challengeDecider: Decider<ChallengeCommand, ChallengeEvent, ChallengeState> = {
  initialState: () => ({ status: "absent" }),

  decide(command, state) {
    const at = command.now;
    switch (command.type) {
      case "CreateChallenge":
        if (state.status === "present") {
          if (jsonEqual(state.spec, command.spec)) return [];
          throw ValidationError.of("spec", "immutable", `challenge ${command.meta.name}: spec is immutable`);
        }
        return [
          { type: "ChallengeCreated", data: { meta: command.meta, spec: command.spec, createdAt: at } },
        ];
      case "RecordChallengePresented":
        return openStep(state, (c) => c.presented) ? [{ type: "ChallengePresented", data: { at } }] : [];
      case "RecordChallengeSelfCheckPassed":
        return openStep(state, (c) => c.selfCheckPassed || !c.presented)
          ? [{ type: "ChallengeSelfCheckPassed", data: { at } }]
          : [];
      case "RecordChallengeAccepted":
        return openStep(state, (c) => c.accepted) ? [{ type: "ChallengeAccepted", data: { at } }] : [];
      case "RecordChallengeValid":
        return openStep(state, () => false) ? [{ type: "ChallengeValidated", data: { at } }] : [];
      case "FailChallenge": {
        if (!openStep(state, () => false)) return [];
        const reason = command.problem
          ? `${command.reason}: ${describeProblem(command.problem)}`
          : command.reason;
        return [
          {
            type: "ChallengeFailed",
            data: {
              state: command.state,
              reason,
              ...(command.problem ? { problem: command.problem } : {}),
              at,
            },
          },
        ];
      }
      case "RecordChallengeCleanedUp": {
        const challenge = requireChallenge(state);
        return challenge.cleanedUp ? [] : [{ type: "ChallengeCleanedUp", data: { at } }];
      }
    }
  },

  evolve(state, event) {
    if (event.type === "ChallengeCreated") {
      return {
        status: "present",
        meta: event.data.meta,
        spec: event.data.spec,
        state: "",
        presented: false,
        selfCheckPassed: false,
        accepted: false,
        cleanedUp: false,
        createdAt: event.data.createdAt,
      };
    }
    if (state.status === "absent") return state;
    switch (event.type) {
      case "ChallengePresented":
        return { ...state, state: "pending", presented: true, presentedAt: event.data.at };
      case "ChallengeSelfCheckPassed":
        return { ...state, selfCheckPassed: true };
      case "ChallengeAccepted":
        return { ...state, state: "processing", accepted: true };
      case "ChallengeValidated":
        return { ...state, state: "valid", reason: "Successfully authorized domain" };
      case "ChallengeFailed":
        return {
          ...state,
          state: event.data.state,
          reason: event.data.reason,
          ...(event.data.problem ? { problem: event.data.problem } : {}),
        };
      case "ChallengeCleanedUp":
        return { ...state, presented: false, cleanedUp: true };
    }
  },
};

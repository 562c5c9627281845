import type { ChallengeEvent } from "./events.ts";
import type { ChallengeState } from "./state.ts";

export function evolveChallenge(state: ChallengeState, event: ChallengeEvent): ChallengeState {
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
}

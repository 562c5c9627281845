import type { Decider } from "../../decider.ts";
import { ValidationError } from "../../errors.ts";
import { failedWith } from "../acme-problem.ts";
import { jsonEqual } from "../object-meta.ts";
import type { ChallengeCommand } from "./commands.ts";
import type { ChallengeEvent } from "./events.ts";
import { evolveChallenge } from "./evolve.ts";
import type { ChallengeState, ExistingChallenge } from "./state.ts";
import { initialChallengeState, isChallengeFinal, requireChallenge } from "./state.ts";

/** Steps of an open challenge happen once each, in order; a repeated step changes nothing. */
function openStep(state: ChallengeState, done: (c: ExistingChallenge) => boolean): boolean {
  const challenge = requireChallenge(state);
  return !isChallengeFinal(challenge) && !done(challenge);
}

function decideChallenge(command: ChallengeCommand, state: ChallengeState): ChallengeEvent[] {
  const at = command.now;
  switch (command.type) {
    case "CreateChallenge":
      if (state.status === "present") {
        if (jsonEqual(state.spec, command.spec)) return [];
        throw ValidationError.of("spec", "immutable", `challenge ${command.meta.name}: spec is immutable`);
      }
      return [{ type: "ChallengeCreated", data: { meta: command.meta, spec: command.spec, createdAt: at } }];
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
    case "FailChallenge":
      return openStep(state, () => false) ? [{ type: "ChallengeFailed", data: failedWith(command) }] : [];
    case "RecordChallengeCleanedUp": {
      const challenge = requireChallenge(state);
      return challenge.cleanedUp ? [] : [{ type: "ChallengeCleanedUp", data: { at } }];
    }
  }
}

export const challengeDecider: Decider<ChallengeCommand, ChallengeEvent, ChallengeState> = {
  initialState: initialChallengeState,
  decide: decideChallenge,
  evolve: evolveChallenge,
};

import { setImmediate } from "node:timers/promises";
import { challengeLimiterContract } from "./challenge-limiter-contract.ts";
import { ChallengeSlots } from "./challenge-slots.ts";

challengeLimiterContract({
  implementation: "in-process slots",
  open: async (max) => ({
    limiter: new ChallengeSlots(max),
    turn: async () => {
      await setImmediate();
    },
    close: async () => undefined,
  }),
});

import { z } from "zod";

/** ACME resource states shared by Orders and Challenges; `errored` is cert-manager's own. */
export const acmeStateSchema = z.enum([
  "pending",
  "ready",
  "processing",
  "valid",
  "invalid",
  "expired",
  "errored",
]);
export type AcmeState = z.infer<typeof acmeStateSchema>;

export const challengeTypeSchema = z.enum(["HTTP-01", "DNS-01"]);
export type ChallengeType = z.infer<typeof challengeTypeSchema>;

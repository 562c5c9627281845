// acme.cert-manager.io/v1 Challenge (model §4): spec is a snapshot taken when the Order made it.
import { z } from "zod";
import { acmeChallengeSolverSchema } from "./acme-solver.ts";
import { acmeStateSchema, challengeTypeSchema } from "./acme-state.ts";
import { timestampSchema } from "./condition.ts";
import { objectMetaSchema } from "./object-meta.ts";
import { issuerReferenceSchema } from "./references.ts";

export const challengeSpecSchema = z.strictObject({
  url: z.string(),
  authorizationURL: z.string(),
  /** Without the `*.` of a wildcard identifier; `wildcard` says whether it had one. */
  dnsName: z.string(),
  wildcard: z.boolean().optional(),
  type: challengeTypeSchema,
  token: z.string(),
  key: z.string(),
  solver: acmeChallengeSolverSchema,
  issuerRef: issuerReferenceSchema,
});

export const challengeStatusSchema = z.strictObject({
  processing: z.boolean().optional(),
  presented: z.boolean().optional(),
  presentedAt: timestampSchema.optional(),
  reason: z.string().optional(),
  state: acmeStateSchema.optional(),
});

export const challengeSchema = z.strictObject({
  apiVersion: z.literal("acme.cert-manager.io/v1"),
  kind: z.literal("Challenge"),
  metadata: objectMetaSchema,
  spec: challengeSpecSchema,
  status: challengeStatusSchema.optional(),
});

export type ChallengeSpec = z.infer<typeof challengeSpecSchema>;
export type ChallengeStatus = z.infer<typeof challengeStatusSchema>;
export type Challenge = z.infer<typeof challengeSchema>;

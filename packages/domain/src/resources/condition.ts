import { z } from "zod";

export const conditionStatusSchema = z.enum(["True", "False", "Unknown"]);
export type ConditionStatus = z.infer<typeof conditionStatusSchema>;

/** One status condition, shaped like cert-manager's (observedGeneration says which spec it judged). */
export const conditionSchema = z.strictObject({
  type: z.string(),
  status: conditionStatusSchema,
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.iso.datetime({ offset: true }).optional(),
  observedGeneration: z.number().int().nonnegative().optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

export const timestampSchema = z.iso.datetime({ offset: true });

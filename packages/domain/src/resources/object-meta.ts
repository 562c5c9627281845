import { z } from "zod";

const stringMap = z.record(z.string(), z.string());

const ownerReferenceSchema = z.strictObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});

/** The Kubernetes ObjectMeta subset certplane keeps; server-set fields are optional on input. */
export const objectMetaSchema = z.strictObject({
  name: z.string(),
  namespace: z.string().optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  uid: z.string().optional(),
  generation: z.number().int().nonnegative().optional(),
  creationTimestamp: z.iso.datetime({ offset: true }).optional(),
  resourceVersion: z.string().optional(),
  finalizers: z.array(z.string()).optional(),
  ownerReferences: z.array(ownerReferenceSchema).optional(),
});
export type ObjectMeta = z.infer<typeof objectMetaSchema>;
export type OwnerReference = z.infer<typeof ownerReferenceSchema>;

export { stringMap };

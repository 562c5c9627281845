// acme.cert-manager.io/v1 Order (model §4).
import { z } from "zod";
import { acmeStateSchema } from "./acme-state.ts";
import { timestampSchema } from "./condition.ts";
import { objectMetaSchema } from "./object-meta.ts";
import { base64BytesSchema, goDurationSchema, issuerReferenceSchema } from "./references.ts";

export const orderSpecSchema = z.strictObject({
  request: base64BytesSchema,
  issuerRef: issuerReferenceSchema,
  commonName: z.string().optional(),
  dnsNames: z.array(z.string()).optional(),
  ipAddresses: z.array(z.string()).optional(),
  duration: goDurationSchema.optional(),
  profile: z.string().optional(),
  replaces: z.string().optional(),
});

const orderChallengeSchema = z.strictObject({ url: z.string(), token: z.string(), type: z.string() });

const orderAuthorizationSchema = z.strictObject({
  url: z.string(),
  identifier: z.string().optional(),
  wildcard: z.boolean().optional(),
  initialState: acmeStateSchema.optional(),
  challenges: z.array(orderChallengeSchema).optional(),
});

export const orderStatusSchema = z.strictObject({
  url: z.string().optional(),
  finalizeURL: z.string().optional(),
  authorizations: z.array(orderAuthorizationSchema).optional(),
  certificate: base64BytesSchema.optional(),
  state: acmeStateSchema.optional(),
  reason: z.string().optional(),
  failureTime: timestampSchema.optional(),
});

export const orderSchema = z.strictObject({
  apiVersion: z.literal("acme.cert-manager.io/v1"),
  kind: z.literal("Order"),
  metadata: objectMetaSchema,
  spec: orderSpecSchema,
  status: orderStatusSchema.optional(),
});

export type OrderSpec = z.infer<typeof orderSpecSchema>;
export type OrderStatus = z.infer<typeof orderStatusSchema>;
export type OrderAuthorization = z.infer<typeof orderAuthorizationSchema>;
export type Order = z.infer<typeof orderSchema>;

// cert-manager.io/v1 CertificateRequest (model §2): a one-shot, immutable signing request.
import { z } from "zod";
import { conditionSchema, timestampSchema } from "./condition.ts";
import { objectMetaSchema } from "./object-meta.ts";
import { base64BytesSchema, goDurationSchema, issuerReferenceSchema } from "./references.ts";

export const certificateRequestSpecSchema = z.strictObject({
  /** base64 of a PEM `CERTIFICATE REQUEST` block, as Kubernetes encodes `[]byte`. */
  request: base64BytesSchema,
  issuerRef: issuerReferenceSchema,
  duration: goDurationSchema.optional(),
  isCA: z.boolean().optional(),
  usages: z.array(z.string()).optional(),
  username: z.string().optional(),
  uid: z.string().optional(),
  groups: z.array(z.string()).optional(),
  extra: z.record(z.string(), z.array(z.string())).optional(),
});

export const certificateRequestStatusSchema = z.strictObject({
  conditions: z.array(conditionSchema).optional(),
  certificate: base64BytesSchema.optional(),
  ca: base64BytesSchema.optional(),
  failureTime: timestampSchema.optional(),
});

export const certificateRequestSchema = z.strictObject({
  apiVersion: z.literal("cert-manager.io/v1"),
  kind: z.literal("CertificateRequest"),
  metadata: objectMetaSchema,
  spec: certificateRequestSpecSchema,
  status: certificateRequestStatusSchema.optional(),
});

export type CertificateRequestSpec = z.infer<typeof certificateRequestSpecSchema>;
export type CertificateRequestStatus = z.infer<typeof certificateRequestStatusSchema>;
export type CertificateRequest = z.infer<typeof certificateRequestSchema>;

// Core v1 kinds that appear in the same manifests as cert-manager's: enough of them to parse.
import { z } from "zod";
import { objectMetaSchema, stringMap } from "./object-meta.ts";
import { base64BytesSchema } from "./references.ts";

export const namespaceSchema = z.strictObject({
  apiVersion: z.literal("v1"),
  kind: z.literal("Namespace"),
  metadata: objectMetaSchema,
  spec: z.strictObject({ finalizers: z.array(z.string()).optional() }).optional(),
  status: z.strictObject({ phase: z.enum(["Active", "Terminating"]).optional() }).optional(),
});

export const secretSchema = z.strictObject({
  apiVersion: z.literal("v1"),
  kind: z.literal("Secret"),
  metadata: objectMetaSchema,
  /** `kubernetes.io/tls` for certificate Secrets; Kubernetes defaults an absent type to `Opaque`. */
  type: z.string().optional(),
  data: z.record(z.string(), base64BytesSchema).optional(),
  stringData: stringMap.optional(),
  immutable: z.boolean().optional(),
});

export type Namespace = z.infer<typeof namespaceSchema>;
export type Secret = z.infer<typeof secretSchema>;

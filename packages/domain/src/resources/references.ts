import { z } from "zod";
import { readGoDuration } from "../duration.ts";

export const localObjectReferenceSchema = z.strictObject({ name: z.string() });
export type LocalObjectReference = z.infer<typeof localObjectReferenceSchema>;

/** A key inside a Secret; each use site documents its own default key. */
export const secretKeySelectorSchema = z.strictObject({ name: z.string(), key: z.string().optional() });
export type SecretKeySelector = z.infer<typeof secretKeySelectorSchema>;

export const serviceAccountRefSchema = z.strictObject({
  name: z.string(),
  audiences: z.array(z.string()).optional(),
});
export type ServiceAccountRef = z.infer<typeof serviceAccountRefSchema>;

/** Stored as written: empty kind/group are interpreted (Issuer / cert-manager.io), never filled in. */
export const issuerReferenceSchema = z.strictObject({
  name: z.string(),
  kind: z.string().optional(),
  group: z.string().optional(),
});
export type IssuerReference = z.infer<typeof issuerReferenceSchema>;

/** A metav1.Duration: the apiserver refuses strings Go's ParseDuration refuses. */
export const goDurationSchema = z.string().superRefine((text, ctx) => {
  const reading = readGoDuration(text);
  if (!reading.ok) ctx.addIssue({ code: "custom", message: reading.message, params: { rule: "goDuration" } });
});

/** Kubernetes `[]byte` fields travel base64-encoded in JSON and YAML. */
export const base64BytesSchema = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, {
  message: "must be base64-encoded",
});

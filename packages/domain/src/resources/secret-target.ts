// certplane.io/v1alpha1 SecretTarget: one destination certificate Secrets are published to. Targets
// are configuration, so adding a cluster is an apply, not a code path. Cluster-scoped like a
// ClusterIssuer: the credentials it names live in the cluster resource namespace.
import { z } from "zod";
import { objectMetaSchema, stringMap } from "./object-meta.ts";

export const secretTargetApiVersion = "certplane.io/v1alpha1";

/** Which Certificates' Secrets a target receives; an empty selector selects every Certificate. */
const selectorSchema = z.strictObject({
  /** The Certificates' namespaces; absent: all. */
  namespaces: z.array(z.string()).optional(),
  /** Labels every selected Certificate carries. */
  matchLabels: stringMap.optional(),
});

const kubernetesTargetSchema = z.strictObject({
  /** A Secret in the cluster resource namespace holding a kubeconfig (sealed at rest like every Secret). */
  kubeconfigSecretRef: z.strictObject({ name: z.string(), key: z.string().optional() }),
  /** The kubeconfig context to use; its current-context when absent. */
  context: z.string().optional(),
  /** The namespaces the Secret is written to; the Certificate's own namespace when absent. */
  namespaces: z.array(z.string()).optional(),
});

const fileTargetSchema = z.strictObject({
  /** `<directory>/<namespace>/<name>/…`, as the default file target lays secrets out. */
  directory: z.string(),
});

export const secretTargetSpecSchema = z.strictObject({
  selector: selectorSchema.optional(),
  /**
   * What happens to a published Secret when its Certificate is deleted or stops being selected.
   * cert-manager keeps Secrets unless owner references are enabled, so Retain is the default.
   */
  deletionPolicy: z.enum(["Retain", "Delete"]).optional(),
  kubernetes: kubernetesTargetSchema.optional(),
  file: fileTargetSchema.optional(),
});

export const secretTargetSchema = z.strictObject({
  apiVersion: z.literal(secretTargetApiVersion),
  kind: z.literal("SecretTarget"),
  metadata: objectMetaSchema,
  spec: secretTargetSpecSchema,
});

export type SecretTarget = z.infer<typeof secretTargetSchema>;
export type SecretTargetSpec = z.infer<typeof secretTargetSpecSchema>;
export type SecretTargetType = "kubernetes" | "file";
export const secretTargetTypes: readonly SecretTargetType[] = ["kubernetes", "file"];

/** A Certificate names extra targets (comma-separated SecretTarget names), selected or not. */
export const secretTargetsAnnotation = "certplane.io/secret-targets";

export const defaultKubeconfigKey = "kubeconfig";

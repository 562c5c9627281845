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
  /**
   * cert-manager's ingress-shim for this cluster: its annotated Ingresses become Certificates (in
   * the Ingress's namespace) whose Secrets are published back here. `{}` watches every namespace.
   */
  ingressShim: z.strictObject({ namespaces: z.array(z.string()).optional() }).optional(),
});

const fileTargetSchema = z.strictObject({
  /** `<directory>/<namespace>/<name>/…`, as the default file target lays secrets out. */
  directory: z.string(),
});

/**
 * A JetStream KV bucket on a NATS the consumers use: per Secret one entry per data key and one index
 * entry written last (README "NATS KV target" documents the layout). Private values are sealed to
 * the recipient's public key unless `privateKeys: Plaintext` says otherwise.
 */
const natsKVTargetSchema = z.strictObject({
  /** Created (history 1) when missing. */
  bucket: z.string(),
  /** `nats://` or `tls://` URLs of the consumers' NATS; not certplane's own bus. */
  servers: z.array(z.string()),
  /**
   * A Secret in the cluster resource namespace with the credentials: a `creds` key (a NATS .creds
   * file), a `token` key, or `user` and `password` keys. No credentials when absent.
   */
  credentialsSecretRef: z.strictObject({ name: z.string() }).optional(),
  /** Sealed (the default): private values are compact JWEs to `recipient`. Plaintext: stored as is. */
  privateKeys: z.enum(["Sealed", "Plaintext"]).optional(),
  /** The consumers' public key (PEM SPKI: EC P-256/P-384/P-521, X25519 or RSA ≥ 2048 bits). */
  recipient: z.strictObject({ publicKey: z.string() }).optional(),
});

/**
 * A Vault KV v2 mount: `<mount>/data/<prefix>/<namespace>/<name>` holds each Secret, written with
 * check-and-set so a concurrent foreign write is detected, not clobbered.
 */
const vaultKVTargetSchema = z.strictObject({
  /** `https://vault.example:8200` */
  server: z.string(),
  /** The KV v2 mount (default `secret`). */
  mount: z.string().optional(),
  /** The path under the mount (default `certplane`). */
  prefix: z.string().optional(),
  /** A Vault Enterprise / OpenBao namespace. */
  namespace: z.string().optional(),
  /** A Secret in the cluster resource namespace holding the Vault token (key default `token`). */
  tokenSecretRef: z.strictObject({ name: z.string(), key: z.string().optional() }),
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
  natsKV: natsKVTargetSchema.optional(),
  vaultKV: vaultKVTargetSchema.optional(),
});

export const secretTargetSchema = z.strictObject({
  apiVersion: z.literal(secretTargetApiVersion),
  kind: z.literal("SecretTarget"),
  metadata: objectMetaSchema,
  spec: secretTargetSpecSchema,
});

export type SecretTarget = z.infer<typeof secretTargetSchema>;
export type SecretTargetSpec = z.infer<typeof secretTargetSpecSchema>;
export type NatsKVTargetSpec = NonNullable<SecretTargetSpec["natsKV"]>;
export type VaultKVTargetSpec = NonNullable<SecretTargetSpec["vaultKV"]>;
export type SecretTargetType = "kubernetes" | "file" | "natsKV" | "vaultKV";
export const secretTargetTypes: readonly SecretTargetType[] = ["kubernetes", "file", "natsKV", "vaultKV"];

/** A Certificate names extra targets (comma-separated SecretTarget names), selected or not. */
export const secretTargetsAnnotation = "certplane.io/secret-targets";

export const defaultKubeconfigKey = "kubeconfig";

/** A NATS KV target seals private values unless its spec says Plaintext. */
export const defaultNatsKVPrivateKeys = "Sealed";

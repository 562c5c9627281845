// The kubeconfig a kubernetes SecretTarget names, read from its sealed Secret in certplane's own
// store. The publisher writes to that cluster and intake watches its Ingresses with the same
// credentials, so both build it here and report the same errors.
import type { SecretTargetSpec } from "@certplane/domain";
import { defaultKubeconfigKey, ValidationError } from "@certplane/domain";
import { secretDecider, streams } from "@certplane/domain/model";
import type { KeyEncryptionKey } from "@certplane/pki";
import { open, secretValueAad } from "@certplane/pki";
import type { AggregateRunner } from "@certplane/runtime";
import { KubeConfig } from "@kubernetes/client-node";

export type KubernetesTargetSpec = NonNullable<SecretTargetSpec["kubernetes"]>;

export interface TargetCredentialsReader {
  readonly runner: Pick<AggregateRunner, "load">;
  readonly kek: KeyEncryptionKey;
  /** Where the kubeconfig Secrets of (cluster-scoped) SecretTargets live. */
  readonly clusterResourceNamespace: string;
}

/** The stream of the Secret holding a target's kubeconfig, so a change to it rebuilds what uses it. */
export function kubeconfigStreamOf(spec: KubernetesTargetSpec, clusterResourceNamespace: string): string {
  return streams.secret(clusterResourceNamespace, spec.kubeconfigSecretRef.name);
}

/**
 * Throws a ValidationError naming the field and the fix when the Secret or key is missing, the
 * kubeconfig does not parse, or the context does not exist.
 */
export async function kubeConfigForTarget(
  reader: TargetCredentialsReader,
  name: string,
  spec: KubernetesTargetSpec,
): Promise<KubeConfig> {
  const ref = spec.kubeconfigSecretRef;
  const key = ref.key ?? defaultKubeconfigKey;
  const field = "spec.kubernetes.kubeconfigSecretRef";
  const secretRef = { namespace: reader.clusterResourceNamespace, name: ref.name };
  const secretName = `${secretRef.namespace}/${secretRef.name}`;
  const { state } = await reader.runner.load(kubeconfigStreamOf(spec, secretRef.namespace), secretDecider);
  if (state.status !== "present") {
    throw ValidationError.of(
      field,
      "secretNotFound",
      `SecretTarget ${name}: the kubeconfig Secret ${secretName} does not exist; apply it (key ${key}) to certplane`,
    );
  }
  const sealed = state.content.sealedData[key];
  const yaml =
    sealed === undefined
      ? state.content.data[key]
      : open(reader.kek, sealed, secretValueAad(secretRef, key)).toString("utf8");
  if (yaml === undefined) {
    const keys = [...Object.keys(state.content.data), ...Object.keys(state.content.sealedData)];
    throw ValidationError.of(
      `${field}.key`,
      "keyNotFound",
      `SecretTarget ${name}: the Secret ${secretName} has no key ${JSON.stringify(key)} (it has ${keys.join(", ") || "none"})`,
    );
  }
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromString(yaml);
  } catch (error) {
    throw ValidationError.of(
      field,
      "kubeconfig",
      `SecretTarget ${name}: the kubeconfig in ${secretName}[${key}] does not parse: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (spec.context !== undefined) {
    const contexts = kubeConfig.getContexts().map((context) => context.name);
    if (!contexts.includes(spec.context)) {
      throw ValidationError.of(
        "spec.kubernetes.context",
        "contextNotFound",
        `SecretTarget ${name}: the kubeconfig in ${secretName} has no context ${JSON.stringify(spec.context)} (it has ${contexts.join(", ") || "none"})`,
      );
    }
    kubeConfig.setCurrentContext(spec.context);
  }
  if (kubeConfig.getCurrentCluster() === null) {
    throw ValidationError.of(
      field,
      "kubeconfig",
      `SecretTarget ${name}: the kubeconfig in ${secretName} names no cluster for its current context; set spec.kubernetes.context`,
    );
  }
  return kubeConfig;
}

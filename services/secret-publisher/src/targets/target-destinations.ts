// What a SecretTarget resource turns into: the adapters that write its copies. Built from the
// target's spec and, for a cluster, the kubeconfig held in a sealed Secret of certplane's own store.

import type { SecretTargetSpec } from "@certplane/domain";
import { defaultKubeconfigKey, ValidationError } from "@certplane/domain";
import { secretDecider, streams } from "@certplane/domain/model";
import type { KeyEncryptionKey } from "@certplane/pki";
import type { AggregateRunner, Logger } from "@certplane/runtime";
import { KubeConfig } from "@kubernetes/client-node";
import { FileSecretTarget } from "../adapters/file-secret-target.ts";
import type { ObservedCopy } from "../adapters/kubernetes-drift-watch.ts";
import { watchPublishedSecrets } from "../adapters/kubernetes-drift-watch.ts";
import { KubernetesSecretTarget } from "../adapters/kubernetes-secret-target.ts";
import { openSealedData } from "../keys/sealed-key.ts";
import type { SecretTarget } from "../secrets/secret-target.ts";

/** One copy a target writes of every Secret it receives. */
export interface TargetDestination {
  /** The cluster's API server or the directory, as the publication record names it. */
  readonly location: string;
  /** The namespace the copy of a Secret from `sourceNamespace` lands in. */
  namespaceFor(sourceNamespace: string): string;
  readonly writer: SecretTarget;
}

/** The adapters of one target, and for a cluster a watch that reports what it holds of certplane's Secrets. */
export interface BuiltTarget {
  readonly destinations: readonly TargetDestination[];
  readonly watch?: (options: {
    readonly onObserved: (copy: ObservedCopy) => void;
    readonly logger: Logger;
    readonly pause: (signal: AbortSignal) => Promise<void>;
  }) => { stop(): void };
}

export interface DestinationContext {
  readonly runner: AggregateRunner;
  readonly kek: KeyEncryptionKey;
  /** Where the kubeconfig Secrets of (cluster-scoped) SecretTargets live. */
  readonly clusterResourceNamespace: string;
}

/** The stream of the Secret holding a target's credentials, so a change to it rebuilds the target. */
export function credentialStreamOf(
  spec: SecretTargetSpec,
  clusterResourceNamespace: string,
): string | undefined {
  return spec.kubernetes === undefined
    ? undefined
    : streams.secret(clusterResourceNamespace, spec.kubernetes.kubeconfigSecretRef.name);
}

export async function destinationsOf(
  ctx: DestinationContext,
  name: string,
  spec: SecretTargetSpec,
): Promise<BuiltTarget> {
  if (spec.file !== undefined) {
    const writer = new FileSecretTarget({ secretsDir: spec.file.directory });
    return {
      destinations: [{ location: spec.file.directory, namespaceFor: (namespace) => namespace, writer }],
    };
  }
  if (spec.kubernetes === undefined) {
    throw ValidationError.of("spec", "exactlyOneTargetType", `SecretTarget ${name} names no destination`);
  }
  const kubeConfig = await kubeConfigOf(ctx, name, spec.kubernetes);
  const location = kubeConfig.getCurrentCluster()?.server ?? "(no server)";
  const namespaces = spec.kubernetes.namespaces;
  const destinations =
    namespaces === undefined
      ? [
          {
            location,
            namespaceFor: (namespace: string) => namespace,
            writer: new KubernetesSecretTarget({ kubeConfig, name }),
          },
        ]
      : namespaces.map((namespace) => ({
          location,
          namespaceFor: () => namespace,
          writer: new KubernetesSecretTarget({ kubeConfig, name, namespaceFor: () => namespace }),
        }));
  return { destinations, watch: (options) => watchPublishedSecrets({ kubeConfig, ...options }) };
}

async function kubeConfigOf(
  ctx: DestinationContext,
  name: string,
  spec: NonNullable<SecretTargetSpec["kubernetes"]>,
): Promise<KubeConfig> {
  const ref = spec.kubeconfigSecretRef;
  const key = ref.key ?? defaultKubeconfigKey;
  const field = "spec.kubernetes.kubeconfigSecretRef";
  const secretName = `${ctx.clusterResourceNamespace}/${ref.name}`;
  const { state } = await ctx.runner.load(
    streams.secret(ctx.clusterResourceNamespace, ref.name),
    secretDecider,
  );
  if (state.status !== "present") {
    throw ValidationError.of(
      field,
      "secretNotFound",
      `SecretTarget ${name}: the kubeconfig Secret ${secretName} does not exist; apply it (key ${key}) to certplane`,
    );
  }
  const values = {
    ...state.content.data,
    ...openSealedData(ctx.kek, { namespace: ctx.clusterResourceNamespace, name: ref.name }, state.content),
  };
  const yaml = values[key];
  if (yaml === undefined) {
    throw ValidationError.of(
      `${field}.key`,
      "keyNotFound",
      `SecretTarget ${name}: the Secret ${secretName} has no key ${JSON.stringify(key)} (it has ${Object.keys(values).join(", ") || "none"})`,
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
    if (!kubeConfig.getContexts().some((c) => c.name === spec.context)) {
      throw ValidationError.of(
        "spec.kubernetes.context",
        "contextNotFound",
        `SecretTarget ${name}: the kubeconfig in ${secretName} has no context ${JSON.stringify(spec.context)} (it has ${
          kubeConfig
            .getContexts()
            .map((c) => c.name)
            .join(", ") || "none"
        })`,
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

// What a SecretTarget resource turns into: the adapters that write its copies. Built from the
// target's spec and, for a cluster, the kubeconfig held in a sealed Secret of certplane's own store.

import type { SecretTargetSpec } from "@certplane/domain";
import { ValidationError } from "@certplane/domain";
import { kubeConfigForTarget, kubeconfigStreamOf } from "@certplane/kubernetes";
import type { KeyEncryptionKey } from "@certplane/pki";
import type { AggregateRunner, Logger } from "@certplane/runtime";
import { FileSecretTarget } from "../adapters/file-secret-target.ts";
import { watchFileSecretDrift } from "../adapters/file-secret-target-drift.ts";
import type { ObservedCopy } from "../adapters/kubernetes-drift-watch.ts";
import { watchPublishedSecrets } from "../adapters/kubernetes-drift-watch.ts";
import { KubernetesSecretTarget } from "../adapters/kubernetes-secret-target.ts";
import type { SecretTarget } from "../secrets/secret-target.ts";
import { natsKvCredentialStreamOf, natsKvDestination } from "./nats-kv-destination.ts";
import { vaultKvCredentialStreamOf, vaultKvDestination } from "./vault-kv-destination.ts";

/** One copy a target writes of every Secret it receives. */
export interface TargetDestination {
  /** The cluster's API server or the directory, as the publication record names it. */
  readonly location: string;
  /** The namespace the copy of a Secret from `sourceNamespace` lands in. */
  namespaceFor(sourceNamespace: string): string;
  readonly writer: SecretTarget;
}

/** The adapters of one target, and for a cluster or directory a watch that reports drift in what it holds. */
export interface BuiltTarget {
  readonly destinations: readonly TargetDestination[];
  readonly watch?: (options: {
    readonly onObserved: (copy: ObservedCopy) => void;
    readonly logger: Logger;
    readonly pause: (signal: AbortSignal) => Promise<void>;
  }) => { stop(): void };
  /** Releases what the adapters hold open (a NATS connection); call when the target is rebuilt or stopped. */
  readonly close?: () => Promise<void>;
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
  if (spec.natsKV !== undefined) return natsKvCredentialStreamOf(spec.natsKV, clusterResourceNamespace);
  if (spec.vaultKV !== undefined) return vaultKvCredentialStreamOf(spec.vaultKV, clusterResourceNamespace);
  return spec.kubernetes === undefined
    ? undefined
    : kubeconfigStreamOf(spec.kubernetes, clusterResourceNamespace);
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
      watch: (options) => watchFileSecretDrift({ target: writer, ...options }),
    };
  }
  if (spec.natsKV !== undefined) return await natsKvDestination(ctx, name, spec.natsKV);
  if (spec.vaultKV !== undefined) return await vaultKvDestination(ctx, name, spec.vaultKV);
  if (spec.kubernetes === undefined) {
    throw ValidationError.of("spec", "exactlyOneTargetType", `SecretTarget ${name} names no destination`);
  }
  const kubeConfig = await kubeConfigForTarget(ctx, name, spec.kubernetes);
  const location = kubeConfig.getCurrentCluster()?.server ?? "(no server)";
  const namespaces = spec.kubernetes.namespaces;
  // get and patch write a copy; list and watch see it edited or deleted (drift); delete by policy.
  const verbs = ["get", "patch", "list", "watch", ...(spec.deletionPolicy === "Delete" ? ["delete"] : [])];
  const destinations =
    namespaces === undefined
      ? [
          {
            location,
            namespaceFor: (namespace: string) => namespace,
            // Copies land in the selected Certificates' namespaces: those are what must be writable.
            writer: new KubernetesSecretTarget({
              kubeConfig,
              name,
              verbs,
              probeNamespaces: spec.selector?.namespaces ?? [""],
            }),
          },
        ]
      : namespaces.map((namespace) => ({
          location,
          namespaceFor: () => namespace,
          writer: new KubernetesSecretTarget({
            kubeConfig,
            name,
            verbs,
            namespaceFor: () => namespace,
            probeNamespaces: [namespace],
          }),
        }));
  const watched = namespaces ?? spec.selector?.namespaces;
  return {
    destinations,
    watch: (options) =>
      watchPublishedSecrets({ kubeConfig, ...(watched ? { namespaces: watched } : {}), ...options }),
  };
}

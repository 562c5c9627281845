// Drift: a Secret certplane published that someone edits or deletes in the cluster is put back.
// One watch per cluster on certplane's own Secrets (by its managed-by label), relisting when it
// expires or drops. Every listed Secret is reported too, so a change made while the watch was down
// is not missed.

import { listAndWatch, type RunningWatch } from "@certplane/kubernetes";
import type { Logger } from "@certplane/runtime";
import type { KubeConfig, V1Secret } from "@kubernetes/client-node";
import { CoreV1Api } from "@kubernetes/client-node";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, OWNER_ANNOTATION } from "./kubernetes-secret-target.ts";

/** What the cluster now holds of one published Secret; `resourceVersion` absent when it was deleted. */
export interface ObservedCopy {
  readonly sourceNamespace: string;
  readonly namespace: string;
  readonly name: string;
  readonly resourceVersion?: string;
}

const LABEL_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;

function observed(secret: V1Secret, deleted: boolean): ObservedCopy | undefined {
  const owner = secret.metadata?.annotations?.[OWNER_ANNOTATION]?.split("/");
  const { namespace, name, resourceVersion } = secret.metadata ?? {};
  if (owner === undefined || owner.length < 3 || namespace === undefined || name === undefined)
    return undefined;
  return {
    sourceNamespace: owner[1]!,
    namespace,
    name,
    ...(deleted || resourceVersion === undefined ? {} : { resourceVersion }),
  };
}

export interface DriftWatchOptions {
  readonly kubeConfig: KubeConfig;
  /**
   * The namespaces copies land in, when the target knows them: each is watched on its own, so a
   * Role in each namespace is enough. Absent: one cluster-wide watch (needs a ClusterRole).
   */
  readonly namespaces?: readonly string[];
  readonly onObserved: (copy: ObservedCopy) => void;
  readonly logger: Logger;
  /** Waits between a failed list or watch and the next try. */
  readonly pause: (signal: AbortSignal) => Promise<void>;
}

export function watchPublishedSecrets(options: DriftWatchOptions): RunningWatch {
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  const report = (secret: V1Secret, deleted: boolean) => {
    const copy = observed(secret, deleted);
    if (copy) options.onObserved(copy);
  };
  const scopes: readonly (string | undefined)[] = options.namespaces ?? [undefined];
  const watches = scopes.map((namespace) =>
    listAndWatch<V1Secret>({
      kubeConfig: options.kubeConfig,
      path: namespace === undefined ? "/api/v1/secrets" : `/api/v1/namespaces/${namespace}/secrets`,
      labelSelector: LABEL_SELECTOR,
      list: () =>
        namespace === undefined
          ? core.listSecretForAllNamespaces({ labelSelector: LABEL_SELECTOR })
          : core.listNamespacedSecret({ namespace, labelSelector: LABEL_SELECTOR }),
      onListed: (items) => {
        for (const secret of items) report(secret, false);
      },
      onChanged: (phase, secret) => report(secret, phase === "DELETED"),
      logger: options.logger,
      subject: `published Secrets${namespace === undefined ? "" : ` in ${namespace}`}`,
      pause: options.pause,
    }),
  );
  return {
    stop() {
      for (const watch of watches) watch.stop();
    },
  };
}

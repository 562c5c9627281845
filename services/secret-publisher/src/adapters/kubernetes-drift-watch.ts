// Drift: a Secret certplane published that someone edits or deletes in the cluster is put back.
// One watch per cluster on certplane's own Secrets (by its managed-by label); when the watch
// expires (410 Gone) or drops, it lists again and resumes from the list's resourceVersion, which is
// the relist Kubernetes' own informers do. Every listed Secret is reported too, so a change made
// while the watch was down is not missed.

import type { Logger } from "@certplane/runtime";
import type { KubeConfig, V1Secret, V1SecretList } from "@kubernetes/client-node";
import { CoreV1Api, Watch } from "@kubernetes/client-node";
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
  readonly onObserved: (copy: ObservedCopy) => void;
  readonly logger: Logger;
  /** Waits between a failed list or watch and the next try. */
  readonly pause: (signal: AbortSignal) => Promise<void>;
}

export function watchPublishedSecrets(options: DriftWatchOptions): { stop(): void } {
  const stopped = new AbortController();
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  const watch = new Watch(options.kubeConfig);
  let current: AbortController | undefined;

  const relist = async (): Promise<string | undefined> => {
    const list: V1SecretList = await core.listSecretForAllNamespaces({ labelSelector: LABEL_SELECTOR });
    for (const secret of list.items) {
      const copy = observed(secret, false);
      if (copy) options.onObserved(copy);
    }
    return list.metadata?.resourceVersion;
  };

  const run = async () => {
    while (!stopped.signal.aborted) {
      try {
        const resourceVersion = await relist();
        const ended = new Promise<unknown>((resolve) => {
          void watch
            .watch(
              "/api/v1/secrets",
              { labelSelector: LABEL_SELECTOR, allowWatchBookmarks: true, resourceVersion },
              (phase, object: V1Secret) => {
                if (phase === "ADDED" || phase === "MODIFIED" || phase === "DELETED") {
                  const copy = observed(object, phase === "DELETED");
                  if (copy) options.onObserved(copy);
                }
                // ERROR carries a Status; 410 Expired ends this watch, and the loop relists.
                if (phase === "ERROR") current?.abort();
              },
              resolve,
            )
            .then((controller) => {
              current = controller;
              if (stopped.signal.aborted) controller.abort();
            }, resolve);
        });
        await ended;
      } catch (error) {
        options.logger.warn("watch of published Secrets failed; listing again", { error });
      }
      if (!stopped.signal.aborted) await options.pause(stopped.signal);
    }
  };
  void run();
  return {
    stop() {
      stopped.abort();
      current?.abort();
    },
  };
}

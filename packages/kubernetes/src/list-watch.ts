// List, then watch from the list's resourceVersion; when the watch expires (410 Gone, sent as an
// ERROR event) or drops, list again. This is the relist Kubernetes' own informers do. It is written
// here rather than taken from client-node's makeInformer because that informer keeps every object
// in a cache of its own and reconnects without a pause; callers here keep their state in events and
// pause on the injected clock between failed attempts.
import type { Logger } from "@certplane/runtime";
import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";
import { Watch } from "@kubernetes/client-node";

export type WatchPhase = "ADDED" | "MODIFIED" | "DELETED";

export interface ListWatchOptions<T extends KubernetesObject> {
  readonly kubeConfig: KubeConfig;
  /** The collection's path for all namespaces, e.g. `/api/v1/secrets`. */
  readonly path: string;
  readonly labelSelector?: string;
  /** Lists the collection (with the same selector); its resourceVersion starts the watch. */
  readonly list: () => Promise<{
    readonly items: readonly T[];
    readonly metadata?: { resourceVersion?: string };
  }>;
  /** Every list: the whole collection as it is now, so what changed while no watch ran is seen. */
  readonly onListed: (items: readonly T[]) => void;
  readonly onChanged: (phase: WatchPhase, object: T) => void;
  readonly logger: Logger;
  /** What is watched, for the log. */
  readonly subject: string;
  /** Waits between a failed list or watch and the next try. */
  readonly pause: (signal: AbortSignal) => Promise<void>;
}

export interface RunningWatch {
  stop(): void;
}

export function listAndWatch<T extends KubernetesObject>(options: ListWatchOptions<T>): RunningWatch {
  const stopped = new AbortController();
  const watch = new Watch(options.kubeConfig);
  let current: AbortController | undefined;
  const selector = options.labelSelector === undefined ? {} : { labelSelector: options.labelSelector };

  const watchFrom = (resourceVersion: string | undefined) =>
    new Promise<unknown>((resolve) => {
      void watch
        .watch(
          options.path,
          { ...selector, allowWatchBookmarks: true, ...(resourceVersion ? { resourceVersion } : {}) },
          (phase: string, object: T) => {
            if (phase === "ADDED" || phase === "MODIFIED" || phase === "DELETED") {
              options.onChanged(phase, object);
            }
            // ERROR carries a Status; 410 Expired ends this watch, and the loop lists again.
            if (phase === "ERROR") current?.abort();
          },
          resolve,
        )
        .then((controller) => {
          current = controller;
          if (stopped.signal.aborted) controller.abort();
        }, resolve);
    });

  const run = async () => {
    while (!stopped.signal.aborted) {
      try {
        const list = await options.list();
        options.onListed(list.items);
        await watchFrom(list.metadata?.resourceVersion);
      } catch (error) {
        options.logger.warn(`watch of ${options.subject} failed; listing again`, { error });
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

// Drift for the file target, as kubernetes-drift-watch.ts is for clusters: a published file that is
// edited, removed, re-moded or whose directory is replaced is reported, and the caller puts the
// stored version back. fs.watch on each namespace directory (the links) and each current version
// directory (the files) reports most changes at once; but fs.watch can miss events (an editor
// that renames over the file, a directory replaced while its watcher is re-armed, inotify queue
// overflow, network file systems), so a full comparison on every pause of the injected clock is
// the backstop that makes detection certain, only later.
import { watch } from "node:fs";
import { dirname } from "node:path";
import type { Logger } from "@certplane/runtime";
import type { SecretRef } from "../secrets/secret-target.ts";
import type { FileSecretTarget } from "./file-secret-target.ts";
import type { ObservedCopy } from "./kubernetes-drift-watch.ts";

export interface FileDriftWatchOptions {
  readonly target: FileSecretTarget;
  /** A drifted copy, reported without a resourceVersion: what is on disk is not what was written. */
  readonly onObserved: (copy: ObservedCopy) => void;
  readonly logger: Logger;
  /** Waits between two full comparisons (on the injected timer clock). */
  readonly pause: (signal: AbortSignal) => Promise<void>;
  /** fs.watch by default; a test passes one that never fires, to see the comparison alone restore. */
  readonly watchDirectory?: WatchDirectory;
}

/** Calls `onChange` when something in `dir` changes, `onEnd` if the watch ends (the directory went). */
export type WatchDirectory = (dir: string, onChange: () => void, onEnd: () => void) => DirectoryWatch;

interface DirectoryWatch {
  close(): void;
}

const fsWatchDirectory: WatchDirectory = (dir, onChange, onEnd) => {
  const watcher = watch(dir, { persistent: false }, onChange);
  watcher.on("error", () => {
    watcher.close();
    onEnd();
  });
  return watcher;
};

const keyOf = (ref: SecretRef) => `${ref.namespace}/${ref.name}`;

export function watchFileSecretDrift(options: FileDriftWatchOptions): { stop(): void } {
  const { target, logger } = options;
  const watchDirectory = options.watchDirectory ?? fsWatchDirectory;
  const stopped = new AbortController();
  const watchers = new Map<string, { watcher: DirectoryWatch; refs: readonly SecretRef[] }>();
  // Reported and not yet found restored: events keep coming until the restore lands, and one
  // report is enough. Cleared on every full pass, so drift the restore did not fix is reported again.
  const reported = new Set<string>();
  let checks = Promise.resolve();

  async function check(refs: readonly SecretRef[]): Promise<void> {
    for (const ref of refs) {
      if (stopped.signal.aborted) return;
      const drift = await target.driftOf(ref);
      if (stopped.signal.aborted) return;
      if (drift === undefined) {
        reported.delete(keyOf(ref));
        continue;
      }
      if (reported.has(keyOf(ref))) continue;
      reported.add(keyOf(ref));
      logger.warn("published files changed on disk; restoring the stored version", {
        path: target.pathOf(ref),
        namespace: ref.namespace,
        name: ref.name,
        drift,
      });
      options.onObserved({ sourceNamespace: ref.namespace, namespace: ref.namespace, name: ref.name });
    }
  }

  /** Checks run one at a time, in order; a failing one is logged and the next pass tries again. */
  function enqueueCheck(refs: readonly SecretRef[]): Promise<void> {
    checks = checks
      .then(() => check(refs))
      .catch((error: unknown) => logger.warn("published files not compared", { error }));
    return checks;
  }

  /** Watches exactly the directories the written secrets live in now (versions change on each write). */
  async function rearm(): Promise<void> {
    const wanted = new Map<string, SecretRef[]>();
    for (const ref of target.written()) {
      const version = await target.versionDirOf(ref);
      for (const dir of [dirname(target.pathOf(ref)), ...(version === undefined ? [] : [version])]) {
        wanted.set(dir, [...(wanted.get(dir) ?? []), ref]);
      }
    }
    for (const [dir, { watcher }] of watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        watchers.delete(dir);
      }
    }
    for (const [dir, refs] of wanted) {
      if (stopped.signal.aborted) return;
      const existing = watchers.get(dir);
      if (existing !== undefined) {
        watchers.set(dir, { watcher: existing.watcher, refs });
        continue;
      }
      try {
        const watcher = watchDirectory(
          dir,
          () => void enqueueCheck(watchers.get(dir)?.refs ?? []).then(() => rearmIfRunning()),
          // A watched directory that is removed ends its watcher; the next pass watches its successor.
          () => {
            if (watchers.get(dir)?.watcher === watcher) watchers.delete(dir);
          },
        );
        watchers.set(dir, { watcher, refs });
      } catch {
        // Gone already: the comparison reports it and the restore recreates it.
      }
    }
  }

  let rearming: Promise<void> | undefined;
  function rearmIfRunning(): Promise<void> {
    if (stopped.signal.aborted) return Promise.resolve();
    rearming ??= rearm()
      .catch((error: unknown) => logger.warn("published files not watched", { error }))
      .finally(() => {
        rearming = undefined;
      });
    return rearming;
  }

  // A new secret or version is a new directory to watch.
  const unsubscribe = target.onChanged(() => void rearmIfRunning());
  void (async () => {
    while (!stopped.signal.aborted) {
      reported.clear();
      await enqueueCheck(target.written());
      await rearmIfRunning();
      await options.pause(stopped.signal);
    }
  })();

  return {
    stop() {
      stopped.abort();
      unsubscribe();
      for (const { watcher } of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

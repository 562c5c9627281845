// `certctl admin rebuild`: intake's read models dropped and folded again from every event while the
// old ones keep answering. The new ones replace the old in one step once caught up, so no reader
// ever sees a half-folded answer; a failed rebuild leaves the old ones in place.
import type { RebuildReadModelsRequest, RebuildReadModelsStatus } from "@certplane/api";
import type { Clock } from "@certplane/domain";
import { NotFoundError } from "@certplane/domain";
import type { EventStore } from "@certplane/event-store";
import type { Logger } from "@certplane/runtime";
import { ReadModel } from "./read-model.ts";

/** The longest a status long-poll waits: below every transport's request timeout. */
const MAX_WAIT_MS = 20_000;
/** Events between two progress reports: often enough for a bar that moves. */
const PROGRESS_EVERY = 1_000;

export interface ReadModelRebuildOptions {
  readonly store: EventStore;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  /** The read models answering now. */
  live(): ReadModel;
  /** Makes `fresh` the one that answers (and stops the old one). */
  adopt(fresh: ReadModel): Promise<void>;
}

interface Rebuild {
  status: RebuildReadModelsStatus;
  /** Resolves the current long-polls; replaced after each change. */
  changed: () => void;
  next: Promise<void>;
}

export class ReadModelRebuilds {
  readonly #options: ReadModelRebuildOptions;
  /** The latest rebuild: a running one is joined, a finished one still answers its status. */
  #latest: Rebuild | undefined;
  readonly #running = new Set<Promise<void>>();

  constructor(options: ReadModelRebuildOptions) {
    this.#options = options;
  }

  async handle(request: RebuildReadModelsRequest): Promise<RebuildReadModelsStatus> {
    if (request.id === undefined) return this.#start();
    const rebuild = this.#latest;
    if (rebuild === undefined || rebuild.status.id !== request.id) {
      throw new NotFoundError(
        `no read-model rebuild "${request.id}" (intake keeps only the latest, and none survives its restart); start one with certctl admin rebuild`,
        { field: "id" },
      );
    }
    const waitMs = Math.min(Math.max(request.waitMs ?? 0, 0), MAX_WAIT_MS);
    if (waitMs > 0 && rebuild.status.state === "running") {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        rebuild.next,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, waitMs);
        }),
      ]);
      clearTimeout(timer);
    }
    return rebuild.status;
  }

  /** Resolves once no rebuild is running (intake's stop waits for it). */
  async settled(): Promise<void> {
    await Promise.all([...this.#running]);
  }

  #start(): RebuildReadModelsStatus {
    if (this.#latest?.status.state === "running") return this.#latest.status;
    const { clock, logger } = this.#options;
    const rebuild = this.#newRebuild({
      id: this.#options.newId(),
      state: "running",
      folded: 0,
      total: this.#options.live().events.size,
      startedAt: clock.now().toISOString(),
    });
    this.#latest = rebuild;
    logger.info("read models: rebuild from every event started", {
      rebuild: rebuild.status.id,
      events: rebuild.status.total,
    });
    const run = this.#run(rebuild).finally(() => this.#running.delete(run));
    this.#running.add(run);
    return rebuild.status;
  }

  async #run(rebuild: Rebuild): Promise<void> {
    const { store, clock, logger } = this.#options;
    const fresh = new ReadModel();
    const update = (change: Partial<RebuildReadModelsStatus>) => {
      rebuild.status = { ...rebuild.status, ...change };
      const wake = rebuild.changed;
      Object.assign(rebuild, this.#signal());
      wake();
    };
    try {
      await fresh.start(store, { progressEvery: PROGRESS_EVERY, onProgress: (folded) => update({ folded }) });
      await this.#options.adopt(fresh);
      update({
        state: "done",
        finishedAt: clock.now().toISOString(),
        ...(fresh.position === undefined ? {} : { position: fresh.position }),
      });
      logger.info("read models: rebuilt from every event and answering", {
        rebuild: rebuild.status.id,
        folded: rebuild.status.folded,
        position: fresh.position,
      });
    } catch (error) {
      await fresh.stop();
      const message = error instanceof Error ? error.message : String(error);
      update({ state: "failed", finishedAt: clock.now().toISOString(), message });
      logger.error("read models: rebuild failed; the previous read models keep answering", {
        rebuild: rebuild.status.id,
        error,
      });
    }
  }

  #newRebuild(status: RebuildReadModelsStatus): Rebuild {
    return { status, ...this.#signal() };
  }

  #signal(): Pick<Rebuild, "changed" | "next"> {
    let changed!: () => void;
    const next = new Promise<void>((resolve) => {
      changed = resolve;
    });
    return { changed, next };
  }
}

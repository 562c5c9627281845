/**
 * Keeps client disposal apart from appends in flight, across every EventStoreDB store of the process.
 *
 * @eventstore/db-client 6.x tracks the pending calls of BatchAppend (its append path on servers that
 * offer it) in one map for the whole process. A client's dispose() cancels its batch stream, and the
 * stream's error rejects every pending append in that map, other clients' too; their answers then
 * find no entry, and the client throws a TypeError out of a stream event, which ends the process. So
 * a dispose waits until no append is in flight, and appends that start meanwhile wait for it. The
 * bug is process-wide, so this gate is one per process.
 */
class AppendGate {
  #inFlight = 0;
  #drained: (() => void) | undefined;
  #disposing: Promise<void> | undefined;

  async append<T>(run: () => Promise<T>): Promise<T> {
    while (this.#disposing !== undefined) await this.#disposing;
    this.#inFlight++;
    try {
      return await run();
    } finally {
      this.#inFlight--;
      if (this.#inFlight === 0) this.#drained?.();
    }
  }

  async dispose(run: () => Promise<void>): Promise<void> {
    while (this.#disposing !== undefined) await this.#disposing;
    const disposing = (async () => {
      if (this.#inFlight > 0) {
        await new Promise<void>((resolve) => {
          this.#drained = resolve;
        });
        this.#drained = undefined;
      }
      await run();
    })();
    this.#disposing = disposing.catch(() => undefined);
    try {
      await disposing;
    } finally {
      this.#disposing = undefined;
    }
  }
}

export const appendGate = new AppendGate();

// Old events must keep loading after their data schema changes: each upcaster lifts one event
// type from one schema version to the next, and reads chain them up to the current version.

export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  up(data: unknown): unknown;
}

export interface VersionedEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
}

export class UpcasterChain {
  readonly #byTypeAndVersion = new Map<string, Upcaster>();

  constructor(upcasters: readonly Upcaster[]) {
    for (const upcaster of upcasters) {
      const key = `${upcaster.type}@${upcaster.fromVersion}`;
      if (this.#byTypeAndVersion.has(key)) throw new Error(`two upcasters for ${key}`);
      this.#byTypeAndVersion.set(key, upcaster);
    }
  }

  upcast<T extends VersionedEvent>(event: T): T {
    let current = event;
    for (;;) {
      const upcaster = this.#byTypeAndVersion.get(`${current.type}@${current.schemaVersion}`);
      if (!upcaster) return current;
      current = { ...current, schemaVersion: current.schemaVersion + 1, data: upcaster.up(current.data) };
    }
  }
}

import { ValidationError } from "@certplane/domain";
import type { SecretRef } from "./secret-target.ts";

const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Every target builds paths from the ref, so a name that is not a Kubernetes object name could escape them. */
export function assertSecretRef(ref: SecretRef): void {
  for (const [field, value] of [
    ["namespace", ref.namespace],
    ["name", ref.name],
  ] as const) {
    if (!OBJECT_NAME.test(value) || value.length > 253) {
      throw ValidationError.of(field, "objectName", `${field} "${value}" is not a Kubernetes object name`);
    }
  }
}

/**
 * Runs one write or delete at a time per secret: two overlapping calls for the same secret would
 * undo each other's work (file versions) or race each other's check-and-set (Vault KV).
 */
export class PerSecretQueue {
  readonly #queues = new Map<string, Promise<void>>();

  async run(ref: SecretRef, work: () => Promise<void>): Promise<void> {
    const key = `${ref.namespace}/${ref.name}`;
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const settled = current.catch(() => undefined);
    this.#queues.set(key, settled);
    try {
      await current;
    } finally {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    }
  }
}

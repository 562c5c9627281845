import type { Dns01Support } from "../dns01-support.ts";

/**
 * One DNS zone the solver instances all present their TXT records into, as they would into a real
 * provider's: it keeps the highest number of records up at once, in all and under one name, and
 * says none has propagated until `propagate()`, which holds every presented challenge in flight.
 */
export class FakeDns01Zone {
  /** TXT values up per fqdn. */
  readonly #records = new Map<string, Set<string>>();
  #propagated = false;
  #mostAtOnce = 0;
  #mostUnderOneName = 0;

  /** The zone as one instance's DNS-01 provider and propagation check. */
  readonly support: Dns01Support = {
    providerFor: async () => ({
      name: "fake-zone",
      present: async ({ fqdn, value }) => {
        const values = this.#records.get(fqdn) ?? new Set<string>();
        this.#records.set(fqdn, values.add(value));
        this.#mostAtOnce = Math.max(this.#mostAtOnce, this.up);
        this.#mostUnderOneName = Math.max(this.#mostUnderOneName, values.size);
      },
      cleanUp: async ({ fqdn, value }) => {
        this.#records.get(fqdn)?.delete(value);
      },
    }),
    propagationChecker: () => ({
      isPropagated: async (fqdn, value) => this.#propagated && (this.#records.get(fqdn)?.has(value) ?? false),
    }),
  };

  /** Records up now. */
  get up(): number {
    return [...this.#records.values()].reduce((sum, values) => sum + values.size, 0);
  }

  get mostAtOnce(): number {
    return this.#mostAtOnce;
  }

  get mostUnderOneName(): number {
    return this.#mostUnderOneName;
  }

  propagate(): void {
    this.#propagated = true;
  }
}

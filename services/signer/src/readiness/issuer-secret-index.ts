import type { IssuerEvent, IssuerState } from "@certplane/domain/model";
import { issuerDecider } from "@certplane/domain/model";
import { Projection } from "@certplane/runtime";
import { issuerViewOf, type Signers, signerFor } from "../issuer-view.ts";
import type { SecretRef } from "../signer.ts";

const keyOf = (ref: SecretRef) => `${ref.namespace}/${ref.name}`;

/**
 * Which issuers read which secret, so a secret change re-checks them. Entries are only ever added:
 * a stale entry costs one needless check, a missing one would leave an issuer's readiness stale.
 */
export class IssuerSecretIndex {
  readonly #bySecret = new Map<string, Set<string>>();

  add(issuerStream: string, secrets: readonly SecretRef[]): void {
    for (const secret of secrets) {
      const key = keyOf(secret);
      const issuers = this.#bySecret.get(key) ?? new Set<string>();
      issuers.add(issuerStream);
      this.#bySecret.set(key, issuers);
    }
  }

  issuersUsing(secret: SecretRef): readonly string[] {
    return [...(this.#bySecret.get(keyOf(secret)) ?? [])];
  }
}

/** Fills the index from every issuer and cluster issuer ever applied. */
export function issuerSecretProjection(
  index: IssuerSecretIndex,
  signers: Signers,
  clusterResourceNamespace: string,
): Projection<IssuerState> {
  const projection = new Projection<IssuerState>({
    categories: ["issuer", "clusterIssuer"],
    initialState: () => issuerDecider.initialState(),
    evolve: (state, event) => issuerDecider.evolve(state, event as IssuerEvent),
  });
  projection.onChange((stream, state) => {
    if (state.status !== "active") return;
    const view = issuerViewOf(stream, state, clusterResourceNamespace);
    index.add(stream, signerFor(signers, state.spec)?.secretsOf(view) ?? []);
  });
  return projection;
}

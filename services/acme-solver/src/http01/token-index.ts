import type { ChallengeState } from "@certplane/domain/model";

/**
 * The key authorizations HTTP-01 must serve, from challenge events: presented and not yet
 * cleaned up. Every instance folds the same events, so any of them answers any token.
 */
export class TokenIndex {
  readonly #keys = new Map<string, string>();

  update(state: ChallengeState): void {
    if (state.status !== "present" || state.spec.type !== "HTTP-01") return;
    if (state.presented && !state.cleanedUp) this.#keys.set(state.spec.token, state.spec.key);
    else this.#keys.delete(state.spec.token);
  }

  keyFor(token: string): string | undefined {
    return this.#keys.get(token);
  }
}

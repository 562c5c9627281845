/** A Vault error answer: the status and the `errors` array of its body. */
export class VaultHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly string[],
  ) {
    super(errors.join("; "));
  }
}

// Guess: real Vault words this `no handler for route "<path>". route entry not found.`
export const notFound = (path: string) => new VaultHttpError(404, [`no handler for route "${path}"`]);

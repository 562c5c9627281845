import { CertplaneError, TransientError } from "@certplane/domain";

/**
 * Vault answered with a 4xx: it understood the call and refused it. `status` keeps the distinction
 * callers act on (403: the token, anything else: the request); `message` is Vault's own.
 */
export class VaultRefusedError extends CertplaneError {
  readonly status: number;

  constructor(status: number, message: string, options: { cause?: unknown } = {}) {
    super(status === 403 ? "FORBIDDEN" : status === 404 ? "NOT_FOUND" : "VALIDATION", message, options);
    this.status = status;
  }
}

interface NodeVaultResponseError {
  readonly message: string;
  readonly response: { readonly statusCode: number };
}

function isResponseError(error: unknown): error is NodeVaultResponseError {
  return (
    error instanceof Error &&
    typeof (error as { response?: { statusCode?: unknown } }).response?.statusCode === "number"
  );
}

/**
 * node-vault rejects with its ApiResponseError for any status but 200/204 (message: Vault's first
 * error) and with axios' error when there was no answer. 5xx (503 is a sealed or standby Vault) and
 * no answer at all may pass, so reactors retry them.
 */
export function translateVaultError(error: unknown, server: string, call: string): CertplaneError {
  if (isResponseError(error)) {
    const { statusCode } = error.response;
    if (statusCode >= 500) {
      return new TransientError(`Vault ${server} ${call}: ${statusCode} ${error.message}`, { cause: error });
    }
    return new VaultRefusedError(statusCode, error.message, { cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new TransientError(`Vault ${server} ${call}: ${detail}`, { cause: error });
}

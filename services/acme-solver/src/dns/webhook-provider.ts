import { ForbiddenError, TimeoutError, TransientError, ValidationError } from "@certplane/domain";
import type { Dns01Provider, Dns01Record } from "./dns01-provider.ts";

export interface WebhookProviderOptions {
  /** Where the requests go; certplane's stand-in for cert-manager's `groupName` + `solverName` API service. */
  readonly url: string;
  /** The solver's free-form `config`, passed through untouched. */
  readonly config?: unknown;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** The body of every webhook request. */
export interface WebhookRequest {
  readonly action: "present" | "cleanup";
  /** `_acme-challenge.example.test.`, with the trailing dot. */
  readonly fqdn: string;
  /** The zone when certplane knows it (`example.test.`), else null: the webhook finds it. */
  readonly zone: string | null;
  readonly value: string;
  readonly config: unknown;
}

/**
 * DNS-01 through an HTTP endpoint that owns the DNS changes (contract in services/acme-solver/WEBHOOK.md):
 * `POST <url>` with a {@link WebhookRequest} as JSON. Any 2xx means done. `present` must keep other values at
 * the same name; `cleanup` removes exactly this value and answers 2xx when it is already gone. 401/403 and
 * other 4xx are permanent failures, 5xx and network failures are retried; the response body is quoted in the
 * error, so it must not contain secrets.
 */
export class WebhookProvider implements Dns01Provider {
  readonly name = "webhook";
  private readonly options: WebhookProviderOptions;

  constructor(options: WebhookProviderOptions) {
    this.options = options;
  }

  async present(record: Dns01Record): Promise<void> {
    await this.send("present", record);
  }

  async cleanUp(record: Dns01Record): Promise<void> {
    await this.send("cleanup", record);
  }

  private async send(action: WebhookRequest["action"], record: Dns01Record): Promise<void> {
    const body: WebhookRequest = {
      action,
      fqdn: record.fqdn,
      zone: record.zone ?? null,
      value: record.value,
      config: this.options.config ?? null,
    };
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const what = `DNS-01 webhook ${action} of ${record.fqdn} at ${this.options.url}`;
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(this.options.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if ((error as Error).name === "TimeoutError") {
        throw new TimeoutError(`${what}: no answer within ${timeoutMs} ms`, { cause: error });
      }
      throw new TransientError(`${what} failed: ${(error as Error).message}`, { cause: error });
    }
    if (response.ok) return;
    const text = (await response.text().catch(() => "")).slice(0, 500);
    const message = `${what} answered ${response.status}${text ? `: ${text}` : ""}`;
    if (response.status === 401 || response.status === 403) throw new ForbiddenError(message);
    if (response.status >= 400 && response.status < 500 && response.status !== 429) {
      throw ValidationError.of("dns01.webhook", "rejected", message);
    }
    throw new TransientError(message);
  }
}

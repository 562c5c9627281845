import type { Dns01Provider, Dns01Record } from "./dns01-provider.ts";
import { httpCall, httpRefusal } from "./http-call.ts";

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
    const what = `DNS-01 webhook ${action} of ${record.fqdn} at ${this.options.url}`;
    const answer = await httpCall(
      this.options.url,
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
      what,
      this.options,
    );
    if (answer.status >= 200 && answer.status < 300) return;
    const text = answer.text.slice(0, 500);
    throw httpRefusal(
      answer.status,
      `${what} answered ${answer.status}${text ? `: ${text}` : ""}`,
      "dns01.webhook",
    );
  }
}

import {
  ForbiddenError,
  NotFoundError,
  TimeoutError,
  TransientError,
  ValidationError,
} from "@certplane/domain";
import type { Dns01Provider, Dns01Record } from "./dns01-provider.ts";
import { absoluteName } from "./rfc2136/wire.ts";

/** An API token (preferred by Cloudflare), or the legacy global API key with its account email. */
export type CloudflareAuth =
  | { readonly kind: "token"; readonly apiToken: string }
  | { readonly kind: "key"; readonly email: string; readonly apiKey: string };

export interface CloudflareProviderOptions {
  readonly auth: CloudflareAuth;
  /** `https://api.cloudflare.com/client/v4` unless a test points it at a stand-in. */
  readonly baseUrl?: string;
  readonly ttl?: number;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

interface Envelope<T> {
  readonly success: boolean;
  readonly errors?: readonly { readonly code: number; readonly message: string }[];
  readonly result: T;
}

interface ZoneResult {
  readonly id: string;
  readonly name: string;
}

interface RecordResult {
  readonly id: string;
}

// Cloudflare rejects a second identical record; for present that means the work is already done.
const identicalRecordCodes = new Set([81057, 81058]);

/** DNS-01 through Cloudflare's API v4 (dns_records of the zone found by walking up the name's labels). */
export class CloudflareProvider implements Dns01Provider {
  readonly name = "cloudflare";
  private readonly options: CloudflareProviderOptions;
  private readonly baseUrl: string;

  constructor(options: CloudflareProviderOptions) {
    this.options = options;
    this.baseUrl = (options.baseUrl ?? "https://api.cloudflare.com/client/v4").replace(/\/$/, "");
  }

  async present(record: Dns01Record): Promise<void> {
    const zone = await this.zoneId(record);
    const body = {
      type: "TXT",
      name: bare(record.fqdn),
      content: record.value,
      ttl: this.options.ttl ?? 120,
    };
    const answer = await this.call<RecordResult>("POST", `/zones/${zone.id}/dns_records`, body);
    if (answer.success) return;
    if (answer.errors?.some((error) => identicalRecordCodes.has(error.code))) return;
    throw this.failure(`creating TXT ${record.fqdn} in zone ${zone.name}`, answer);
  }

  async cleanUp(record: Dns01Record): Promise<void> {
    const zone = await this.zoneId(record);
    const query = new URLSearchParams({ type: "TXT", name: bare(record.fqdn), content: record.value });
    const what = `deleting TXT ${record.fqdn} from zone ${zone.name}`;
    const found = await this.call<RecordResult[]>("GET", `/zones/${zone.id}/dns_records?${query}`);
    if (!found.success) throw this.failure(what, found);
    for (const existing of found.result) {
      const deleted = await this.call<unknown>("DELETE", `/zones/${zone.id}/dns_records/${existing.id}`);
      if (!deleted.success && deleted.status !== 404) throw this.failure(what, deleted);
    }
  }

  /** The longest suffix of the name that Cloudflare knows as a zone, unless the record names its zone. */
  private async zoneId(record: Dns01Record): Promise<ZoneResult> {
    const labels = bare(record.fqdn).split(".");
    const candidates = record.zone
      ? [bare(record.zone)]
      : labels.slice(0, -1).map((_, i) => labels.slice(i).join("."));
    for (const name of candidates) {
      const answer = await this.call<ZoneResult[]>("GET", `/zones?${new URLSearchParams({ name })}`);
      if (!answer.success) throw this.failure(`looking up zone ${name}`, answer);
      const zone = answer.result.find((z) => z.name === name);
      if (zone) return zone;
    }
    throw new NotFoundError(`no Cloudflare zone found for ${record.fqdn} (tried ${candidates.join(", ")})`);
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Envelope<T> & { status: number }> {
    const { auth } = this.options;
    const headers: Record<string, string> =
      auth.kind === "token"
        ? { authorization: `Bearer ${auth.apiToken}` }
        : { "x-auth-email": auth.email, "x-auth-key": auth.apiKey };
    if (body !== undefined) headers["content-type"] = "application/json";
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const what = `Cloudflare API ${method} ${path.replace(/\?.*/, "")}`;
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if ((error as Error).name === "TimeoutError") {
        throw new TimeoutError(`${what}: no answer within ${timeoutMs} ms`, { cause: error });
      }
      throw new TransientError(`${what} failed: ${(error as Error).message}`, { cause: error });
    }
    const text = await response.text();
    try {
      return { ...(JSON.parse(text) as Envelope<T>), status: response.status };
    } catch (error) {
      throw new TransientError(`${what} answered ${response.status} without JSON: ${text.slice(0, 200)}`, {
        cause: error,
      });
    }
  }

  private failure(what: string, answer: Envelope<unknown> & { status: number }): Error {
    const errors = (answer.errors ?? []).map((error) => `${error.code} ${error.message}`).join("; ");
    const message = `Cloudflare refused ${what} (HTTP ${answer.status}${errors ? `: ${errors}` : ""})`;
    if (answer.status === 401 || answer.status === 403) return new ForbiddenError(message);
    if (answer.status === 429 || answer.status >= 500) return new TransientError(message);
    return ValidationError.of("dns01.cloudflare", "rejected", message);
  }
}

/** Cloudflare names carry no trailing dot. */
function bare(name: string): string {
  return absoluteName(name).slice(0, -1);
}

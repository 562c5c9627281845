import { NotFoundError } from "@certplane/domain";
import type { Dns01Provider, Dns01Record } from "./dns01-provider.ts";
import { httpRefusal, jsonCall } from "./http-call.ts";
import { bare, zoneCandidates } from "./zone-candidates.ts";

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
    const candidates = zoneCandidates(record);
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
    const what = `Cloudflare API ${method} ${path.replace(/\?.*/, "")}`;
    const answer = await jsonCall(`${this.baseUrl}${path}`, { method, headers, body }, what, this.options);
    return { ...(answer.body as Envelope<T>), status: answer.status };
  }

  private failure(what: string, answer: Envelope<unknown> & { status: number }): Error {
    const errors = (answer.errors ?? []).map((error) => `${error.code} ${error.message}`).join("; ");
    const message = `Cloudflare refused ${what} (HTTP ${answer.status}${errors ? `: ${errors}` : ""})`;
    return httpRefusal(answer.status, message, "dns01.cloudflare");
  }
}

import { NotFoundError } from "@certplane/domain";
import type { Dns01Provider, Dns01Record } from "./dns01-provider.ts";
import { httpRefusal, jsonCall } from "./http-call.ts";
import { bare, zoneCandidates } from "./zone-candidates.ts";

export interface DigitalOceanProviderOptions {
  /** A personal access token with write scope for the domain. */
  readonly token: string;
  /** `https://api.digitalocean.com` unless a test points it at a stand-in. */
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

interface DomainRecord {
  readonly id: number;
  readonly type: string;
  readonly name: string;
  readonly data: string;
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown> & { readonly id?: string; readonly message?: string };
}

// cert-manager's TTL for DigitalOcean records (DigitalOcean's minimum is 30).
const ttl = 60;
const field = "dns01.digitalocean";

/**
 * DNS-01 through DigitalOcean's API v2 (`/v2/domains/{domain}/records`), as cert-manager's provider does it:
 * present creates the TXT unless the same value is there, clean-up deletes the records holding this value.
 */
export class DigitalOceanProvider implements Dns01Provider {
  readonly name = "digitalocean";
  private readonly options: DigitalOceanProviderOptions;
  private readonly baseUrl: string;

  constructor(options: DigitalOceanProviderOptions) {
    this.options = options;
    this.baseUrl = (options.baseUrl ?? "https://api.digitalocean.com").replace(/\/$/, "");
  }

  async present(record: Dns01Record): Promise<void> {
    const domain = await this.domainOf(record);
    if ((await this.records(domain, record)).length > 0) return;
    const name = bare(record.fqdn);
    // DigitalOcean names records relative to the domain; "@" is the domain itself.
    const relative = name === domain ? "@" : name.slice(0, -(domain.length + 1));
    const body = { type: "TXT", name: relative, data: record.value, ttl };
    const created = await this.call("POST", `/v2/domains/${domain}/records`, body);
    if (created.status !== 201) throw this.failure(`creating TXT ${record.fqdn} in ${domain}`, created);
  }

  async cleanUp(record: Dns01Record): Promise<void> {
    const domain = await this.domainOf(record);
    for (const existing of await this.records(domain, record)) {
      const deleted = await this.call("DELETE", `/v2/domains/${domain}/records/${existing.id}`);
      if (deleted.status !== 204 && deleted.status !== 404) {
        throw this.failure(`deleting TXT ${record.fqdn} from ${domain}`, deleted);
      }
    }
  }

  /** The TXT records at the name holding this value. */
  private async records(domain: string, record: Dns01Record): Promise<DomainRecord[]> {
    const query = new URLSearchParams({ type: "TXT", name: bare(record.fqdn) });
    const found = await this.call("GET", `/v2/domains/${domain}/records?${query}`);
    if (found.status !== 200) throw this.failure(`listing TXT ${record.fqdn} in ${domain}`, found);
    const records = (found.body.domain_records ?? []) as DomainRecord[];
    return records.filter((r) => r.type === "TXT" && r.data === record.value);
  }

  /** The longest suffix of the name that the account has as a domain. */
  private async domainOf(record: Dns01Record): Promise<string> {
    const candidates = zoneCandidates(record);
    for (const name of candidates) {
      const answer = await this.call("GET", `/v2/domains/${name}`);
      if (answer.status === 200) return name;
      if (answer.status !== 404) throw this.failure(`looking up domain ${name}`, answer);
    }
    throw new NotFoundError(
      `no DigitalOcean domain found for ${record.fqdn} (tried ${candidates.join(", ")}); add the domain to the account the token belongs to`,
    );
  }

  private async call(method: string, path: string, body?: unknown): Promise<Answer> {
    const headers = { authorization: `Bearer ${this.options.token}` };
    const what = `DigitalOcean API ${method} ${path.replace(/\?.*/, "")}`;
    const answer = await jsonCall(`${this.baseUrl}${path}`, { method, headers, body }, what, this.options);
    return { status: answer.status, body: answer.body as Answer["body"] };
  }

  private failure(what: string, answer: Answer): Error {
    const detail = answer.body.id ? `: ${answer.body.id} ${answer.body.message ?? ""}`.trimEnd() : "";
    return httpRefusal(answer.status, `DigitalOcean refused ${what} (HTTP ${answer.status}${detail})`, field);
  }
}

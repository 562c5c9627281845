import { NotFoundError } from "@certplane/domain";
import type { Dns01Provider, Dns01Record } from "./dns01-provider.ts";
import { type HttpCallOptions, httpRefusal, jsonCall } from "./http-call.ts";
import type { OAuthToken } from "./oauth-token.ts";
import { bare, zoneCandidates } from "./zone-candidates.ts";

export interface AzureDnsProviderOptions extends HttpCallOptions {
  readonly subscriptionId: string;
  readonly resourceGroupName: string;
  /** The zone to write to; without it, the longest of the name's parents that the resource group has. */
  readonly hostedZoneName?: string;
  /** A token for `https://management.azure.com/.default`. */
  readonly token: OAuthToken;
  /** `https://management.azure.com` unless a test points it at a stand-in. */
  readonly managementUrl?: string;
}

interface TxtRecordSet {
  readonly properties?: {
    readonly TTL?: number;
    readonly TXTRecords?: readonly { readonly value?: readonly string[] }[];
  };
}

interface Answer {
  readonly status: number;
  readonly body: TxtRecordSet & { readonly error?: { readonly code?: string; readonly message?: string } };
}

const apiVersion = "2018-05-01";
// cert-manager's TTL for Azure DNS challenge records.
const ttl = 60;
const field = "dns01.azureDNS";

/**
 * DNS-01 through the Azure DNS REST API (record sets, api-version 2018-05-01), as cert-manager's provider does
 * it: one TXT record set per name, read, changed and written back, so a wildcard's and its apex's values sit
 * side by side; the set is deleted when its last value goes. This is a small REST client, not the Azure SDK,
 * because the SDK's pipeline insists on https and cannot be pointed at a local stand-in.
 */
export class AzureDnsProvider implements Dns01Provider {
  readonly name = "azureDNS";
  private readonly options: AzureDnsProviderOptions;
  private readonly resourceGroupPath: string;

  constructor(options: AzureDnsProviderOptions) {
    this.options = options;
    const base = (options.managementUrl ?? "https://management.azure.com").replace(/\/$/, "");
    const subscription = encodeURIComponent(options.subscriptionId);
    const group = encodeURIComponent(options.resourceGroupName);
    this.resourceGroupPath = `${base}/subscriptions/${subscription}/resourceGroups/${group}`;
  }

  async present(record: Dns01Record): Promise<void> {
    await this.updateTxt(record, (values) =>
      values.includes(record.value) ? values : [...values, record.value],
    );
  }

  async cleanUp(record: Dns01Record): Promise<void> {
    await this.updateTxt(record, (values) => values.filter((v) => v !== record.value));
  }

  /** Reads the record set at the name, applies `change` to its values, and writes it back or deletes it. */
  private async updateTxt(record: Dns01Record, change: (values: readonly string[]) => readonly string[]) {
    const zone = await this.zoneOf(record);
    const name = bare(record.fqdn);
    // Record sets are named relative to the zone; "@" is the zone apex.
    const relative = name === zone ? "@" : name.slice(0, -(zone.length + 1));
    const path = `dnsZones/${zone}/TXT/${relative}`;
    const found = await this.call("GET", path);
    if (found.status !== 200 && found.status !== 404) throw this.failure(`reading TXT ${record.fqdn}`, found);
    const before =
      found.status === 404
        ? []
        : (found.body.properties?.TXTRecords ?? []).flatMap((r) =>
            r.value?.length ? [r.value.join("")] : [],
          );
    const after = change(before);
    if (after.length === before.length && after.every((v, i) => v === before[i])) return;
    if (after.length === 0) {
      const deleted = await this.call("DELETE", path);
      if (deleted.status !== 200 && deleted.status !== 204 && deleted.status !== 404) {
        throw this.failure(`deleting TXT ${record.fqdn}`, deleted);
      }
      return;
    }
    const body = { properties: { TTL: ttl, TXTRecords: after.map((v) => ({ value: [v] })) } };
    const written = await this.call("PUT", path, body);
    if (written.status !== 200 && written.status !== 201)
      throw this.failure(`writing TXT ${record.fqdn}`, written);
  }

  private async zoneOf(record: Dns01Record): Promise<string> {
    if (this.options.hostedZoneName) return bare(this.options.hostedZoneName);
    const candidates = zoneCandidates(record);
    for (const zone of candidates) {
      const answer = await this.call("GET", `dnsZones/${zone}`);
      if (answer.status === 200) return zone;
      if (answer.status !== 404) throw this.failure(`looking up zone ${zone}`, answer);
    }
    throw new NotFoundError(
      `no Azure DNS zone found for ${record.fqdn} in resource group ${this.options.resourceGroupName} (tried ${candidates.join(", ")}); check resourceGroupName or set hostedZoneName`,
    );
  }

  private async call(method: string, path: string, body?: unknown): Promise<Answer> {
    const headers = { authorization: `Bearer ${await this.options.token.get()}` };
    const what = `Azure DNS ${method} ${path}`;
    const url = `${this.resourceGroupPath}/providers/Microsoft.Network/${path}?api-version=${apiVersion}`;
    const answer = await jsonCall(url, { method, headers, body }, what, this.options);
    return { status: answer.status, body: answer.body as Answer["body"] };
  }

  private failure(what: string, answer: Answer): Error {
    const { code, message } = answer.body.error ?? {};
    const detail = code ? `: ${code} ${message ?? ""}`.trimEnd() : "";
    const where = `zone in resource group ${this.options.resourceGroupName} of subscription ${this.options.subscriptionId}`;
    return httpRefusal(
      answer.status,
      `Azure DNS refused ${what} (${where}, HTTP ${answer.status}${detail})`,
      field,
    );
  }
}

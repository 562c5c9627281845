import { setTimeout as sleep } from "node:timers/promises";
import { NotFoundError, TimeoutError } from "@certplane/domain";
import type { Dns01Provider, Dns01Record } from "./dns01-provider.ts";
import { type HttpCallOptions, httpRefusal, jsonCall } from "./http-call.ts";
import type { OAuthToken } from "./oauth-token.ts";
import { absoluteName } from "./rfc2136/wire.ts";
import { bare, zoneCandidates } from "./zone-candidates.ts";

export interface GoogleCloudDnsProviderOptions extends HttpCallOptions {
  readonly project: string;
  /** The managed zone's name (its id in the project, not its DNS name); found by DNS name otherwise. */
  readonly hostedZoneName?: string;
  /** A token with the `ndev.clouddns.readwrite` scope. */
  readonly token: OAuthToken;
  /** `https://dns.googleapis.com` unless a test points it at a stand-in. */
  readonly baseUrl?: string;
  /** Pause between asks for a change's status (cert-manager's 1 s). */
  readonly pollIntervalMs?: number;
  /** How many times to ask before giving up. */
  readonly maxPolls?: number;
}

interface ResourceRecordSet {
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  readonly rrdatas: readonly string[];
}

interface Answer {
  readonly status: number;
  readonly body: {
    readonly managedZones?: readonly { readonly name: string; readonly visibility?: string }[];
    readonly rrsets?: readonly ResourceRecordSet[];
    readonly id?: string;
    readonly status?: string;
    readonly error?: { readonly message?: string; readonly status?: string };
  };
}

// cert-manager's TTL for Cloud DNS challenge records.
const ttl = 60;
const field = "dns01.cloudDNS";

/**
 * DNS-01 through the Cloud DNS REST API v1, as cert-manager's provider does it: one TXT rrset per name holding
 * every quoted value, replaced by a change that deletes the old rrset and adds the new one, then asked for
 * until the change is `done`. This is a small REST client, not `@google-cloud/dns`, because the Google client
 * libraries insist on https and cannot be pointed at a local stand-in.
 */
export class GoogleCloudDnsProvider implements Dns01Provider {
  readonly name = "cloudDNS";
  private readonly options: GoogleCloudDnsProviderOptions;
  private readonly projectUrl: string;

  constructor(options: GoogleCloudDnsProviderOptions) {
    this.options = options;
    const base = (options.baseUrl ?? "https://dns.googleapis.com").replace(/\/$/, "");
    this.projectUrl = `${base}/dns/v1/projects/${encodeURIComponent(options.project)}`;
  }

  async present(record: Dns01Record): Promise<void> {
    const quoted = `"${record.value}"`;
    await this.updateTxt(record, (values) => (values.includes(quoted) ? values : [...values, quoted]));
  }

  async cleanUp(record: Dns01Record): Promise<void> {
    const quoted = `"${record.value}"`;
    await this.updateTxt(record, (values) => values.filter((v) => v !== quoted));
  }

  private async updateTxt(record: Dns01Record, change: (values: readonly string[]) => readonly string[]) {
    const zone = await this.zoneOf(record);
    const name = absoluteName(record.fqdn);
    const query = new URLSearchParams({ name, type: "TXT" });
    const found = await this.call("GET", `/managedZones/${zone}/rrsets?${query}`);
    if (found.status !== 200) throw this.failure(`listing TXT ${name} in zone ${zone}`, found);
    const existing = found.body.rrsets?.find((r) => r.type === "TXT" && r.name === name);
    const before = existing?.rrdatas ?? [];
    const after = change(before);
    if (after.length === before.length && after.every((v, i) => v === before[i])) return;
    const body = {
      kind: "dns#change",
      ...(after.length > 0
        ? { additions: [{ kind: "dns#resourceRecordSet", name, type: "TXT", ttl, rrdatas: after }] }
        : {}),
      ...(existing ? { deletions: [existing] } : {}),
    };
    const created = await this.call("POST", `/managedZones/${zone}/changes`, body);
    if (created.status !== 200) throw this.failure(`changing TXT ${name} in zone ${zone}`, created);
    await this.untilDone(zone, created.body);
  }

  /** Asks for the change until Cloud DNS reports it `done` (it is `pending` while it propagates). */
  private async untilDone(zone: string, change: Answer["body"]): Promise<void> {
    const { pollIntervalMs = 1000, maxPolls = 120 } = this.options;
    let status = change.status;
    for (let polls = 0; status === "pending"; polls++) {
      if (polls === maxPolls) {
        throw new TimeoutError(
          `Cloud DNS change ${change.id} in zone ${zone} was still pending after ${maxPolls} asks`,
        );
      }
      await sleep(pollIntervalMs);
      const asked = await this.call("GET", `/managedZones/${zone}/changes/${change.id}`);
      if (asked.status !== 200) throw this.failure(`reading change ${change.id} in zone ${zone}`, asked);
      status = asked.body.status;
    }
  }

  /** `hostedZoneName`, or the public managed zone whose DNS name is the longest of the name's parents. */
  private async zoneOf(record: Dns01Record): Promise<string> {
    if (this.options.hostedZoneName) return this.options.hostedZoneName;
    const candidates = zoneCandidates(record);
    for (const dnsName of candidates) {
      const query = new URLSearchParams({ dnsName: `${dnsName}.` });
      const answer = await this.call("GET", `/managedZones?${query}`);
      if (answer.status !== 200) throw this.failure(`listing managed zones named ${dnsName}`, answer);
      // A private zone of the same name cannot serve the ACME server, as in cert-manager.
      const zone = answer.body.managedZones?.find((z) => (z.visibility ?? "public") === "public");
      if (zone) return zone.name;
    }
    throw new NotFoundError(
      `no public Cloud DNS managed zone found for ${bare(record.fqdn)} in project ${this.options.project} (tried ${candidates.join(", ")}); check project or set hostedZoneName`,
    );
  }

  private async call(method: string, path: string, body?: unknown): Promise<Answer> {
    const headers = { authorization: `Bearer ${await this.options.token.get()}` };
    const what = `Cloud DNS ${method} ${path.replace(/\?.*/, "")}`;
    const answer = await jsonCall(`${this.projectUrl}${path}`, { method, headers, body }, what, this.options);
    return { status: answer.status, body: answer.body as Answer["body"] };
  }

  private failure(what: string, answer: Answer): Error {
    const { status, message } = answer.body.error ?? {};
    const detail = status || message ? `: ${[status, message].filter(Boolean).join(" ")}` : "";
    return httpRefusal(
      answer.status,
      `Cloud DNS refused ${what} (project ${this.options.project}, HTTP ${answer.status}${detail})`,
      field,
    );
  }
}

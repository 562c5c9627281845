import { setTimeout as delay } from "node:timers/promises";
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  InvalidChangeBatch,
  ListHostedZonesByNameCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { NotFoundError, TimeoutError, TransientError } from "@certplane/domain";
import type { Dns01Provider, Dns01Record } from "../dns01-provider.ts";
import { zoneCandidates } from "../zone-candidates.ts";
import { awsRequestHandler, type Route53Identity, route53Credentials } from "./route53-credentials.ts";
import { route53Failure } from "./route53-errors.ts";

export interface Route53ProviderOptions {
  readonly identity: Route53Identity;
  readonly role?: string;
  readonly region?: string;
  /** Without it the zone is found with ListHostedZonesByName. */
  readonly hostedZoneID?: string;
  /** Route 53 and STS endpoint for tests; unset, the SDK honours AWS_ENDPOINT_URL_ROUTE_53 / _STS itself. */
  readonly endpoint?: string;
  /** How often and how many times to ask GetChange for INSYNC: cert-manager's 4 s for 120 s by default. */
  readonly changePoll?: { readonly intervalMs: number; readonly attempts: number };
  readonly timeoutMs?: number;
}

// cert-manager's TTL, so resolvers forget a challenge value quickly.
const ttl = 10;

/**
 * DNS-01 through Amazon Route 53, as cert-manager's route53 provider does it: each value is its own
 * multivalue TXT record set (SetIdentifier = the value), so a wildcard and its apex can both be present;
 * UPSERT to present, DELETE to clean up, and each call returns once the change is INSYNC.
 */
export class Route53Provider implements Dns01Provider {
  readonly name = "route53";
  private readonly client: Route53Client;
  private readonly options: Route53ProviderOptions;

  constructor(options: Route53ProviderOptions) {
    this.options = options;
    // Route 53 is a global service whose aws-partition endpoint signs for us-east-1; other partitions
    // (China, GovCloud) need `region`.
    const region = options.region || "us-east-1";
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.client = new Route53Client({
      region,
      credentials: route53Credentials({
        identity: options.identity,
        ...(options.role ? { role: options.role } : {}),
        region,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        timeoutMs,
      }),
      requestHandler: awsRequestHandler(timeoutMs),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    });
  }

  async present(record: Dns01Record): Promise<void> {
    await this.change("UPSERT", record);
  }

  async cleanUp(record: Dns01Record): Promise<void> {
    await this.change("DELETE", record);
  }

  private async change(action: "UPSERT" | "DELETE", record: Dns01Record): Promise<void> {
    const what = `${action === "UPSERT" ? "publishing" : "removing"} TXT ${record.fqdn} in Route 53`;
    const zoneId = await this.hostedZoneId(record);
    // Route 53 takes TXT values in zone-file form; a challenge value is base64url, so it needs no escaping.
    const value = `"${record.value}"`;
    let changeId: string | undefined;
    try {
      const answer = await this.client.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ChangeBatch: {
            Comment: "Managed by certplane",
            Changes: [
              {
                Action: action,
                ResourceRecordSet: {
                  Name: record.fqdn,
                  Type: "TXT",
                  TTL: ttl,
                  MultiValueAnswer: true,
                  SetIdentifier: value,
                  ResourceRecords: [{ Value: value }],
                },
              },
            ],
          },
        }),
      );
      changeId = answer.ChangeInfo?.Id;
    } catch (error) {
      // Route 53 refuses to delete a record set that is not there: the value is already gone.
      if (action === "DELETE" && error instanceof InvalidChangeBatch) return;
      throw route53Failure(error, what);
    }
    if (changeId === undefined) throw new TransientError(`${what}: Route 53 answered without a change id`);
    await this.waitInSync(changeId, what);
  }

  /** Polls GetChange until INSYNC: only then do Route 53's name servers all answer with the change. */
  private async waitInSync(changeId: string, what: string): Promise<void> {
    const { intervalMs, attempts } = this.options.changePoll ?? { intervalMs: 4000, attempts: 30 };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let status: string | undefined;
      try {
        status = (await this.client.send(new GetChangeCommand({ Id: changeId }))).ChangeInfo?.Status;
      } catch (error) {
        throw route53Failure(error, `${what}: asking for change ${changeId}`);
      }
      if (status === "INSYNC") return;
      if (attempt < attempts) await delay(intervalMs);
    }
    throw new TimeoutError(
      `${what}: change ${changeId} was not INSYNC after ${attempts} checks ${intervalMs} ms apart; the challenge is retried`,
    );
  }

  private async hostedZoneId(record: Dns01Record): Promise<string> {
    const configured = this.options.hostedZoneID;
    if (configured) return configured.replace(/^\/hostedzone\//, "");
    const candidates = zoneCandidates(record);
    for (const name of candidates) {
      const zones = await this.zonesNamed(name);
      // Private zones answer only inside their VPCs, never to the ACME server (cert-manager skips them too).
      const zone = zones.find((z) => z.Name === `${name}.` && !z.Config?.PrivateZone);
      if (zone?.Id) return zone.Id.replace(/^\/hostedzone\//, "");
    }
    throw new NotFoundError(
      `no public Route 53 hosted zone found for ${record.fqdn} (tried ${candidates.join(", ")}); ` +
        "set dns01.route53.hostedZoneID or create the zone",
      { field: "dns01.route53.hostedZoneID" },
    );
  }

  /** The first page from `name` on; Route 53 sorts by reversed labels, so zones named `name` come first. */
  private async zonesNamed(name: string) {
    try {
      const answer = await this.client.send(new ListHostedZonesByNameCommand({ DNSName: name }));
      return answer.HostedZones ?? [];
    } catch (error) {
      throw route53Failure(error, `looking up the Route 53 hosted zone ${name}`);
    }
  }
}

import { findZone } from "./dns-query.ts";
import type { Dns01Provider, Dns01Record } from "./dns01-provider.ts";
import { Rfc2136Client, type Rfc2136ClientOptions } from "./rfc2136/rfc2136-client.ts";
import { formatEndpoint } from "./rfc2136/transport.ts";
import { encodeTxtRdata } from "./rfc2136/wire.ts";

export interface Rfc2136ProviderOptions extends Rfc2136ClientOptions {
  /** TTL of the challenge record; cert-manager uses 60 s. */
  readonly ttl?: number;
}

/** DNS-01 through RFC 2136 dynamic updates at one primary server, the zone asked from that same server. */
export class Rfc2136Provider implements Dns01Provider {
  readonly name = "rfc2136";
  private readonly client: Rfc2136Client;
  private readonly ttl: number;
  private readonly timeoutMs: number | undefined;

  constructor(options: Rfc2136ProviderOptions) {
    this.client = new Rfc2136Client(options);
    this.ttl = options.ttl ?? 60;
    this.timeoutMs = options.timeoutMs;
  }

  async present(record: Dns01Record): Promise<void> {
    const zone = await this.zoneOf(record);
    const rdata = encodeTxtRdata(record.value);
    await this.client.update(zone, [{ action: "add", name: record.fqdn, type: "TXT", ttl: this.ttl, rdata }]);
  }

  async cleanUp(record: Dns01Record): Promise<void> {
    const zone = await this.zoneOf(record);
    const rdata = encodeTxtRdata(record.value);
    // Deleting an absent value is a no-op for the server (RFC 2136 §3.4.2.4), which makes cleanUp idempotent.
    await this.client.update(zone, [{ action: "deleteValue", name: record.fqdn, type: "TXT", rdata }]);
  }

  private async zoneOf(record: Dns01Record): Promise<string> {
    if (record.zone) return record.zone;
    return await findZone(record.fqdn, {
      servers: [formatEndpoint(this.client.endpoint)],
      timeoutMs: this.timeoutMs,
    });
  }
}

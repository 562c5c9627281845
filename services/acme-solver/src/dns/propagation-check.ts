import { TransientError } from "@certplane/domain";
import {
  checkServerAddresses,
  type DnsQueryOptions,
  findZone,
  followCnames,
  queryA,
  queryNs,
  queryTxt,
} from "./dns-query.ts";
import type { PropagationChecker } from "./dns01-provider.ts";

export interface PropagationCheckOptions {
  /**
   * cert-manager's per-solver `dns01.nameservers`: ask only these servers, skipping the authoritative lookup.
   */
  readonly nameservers?: readonly string[];
  /** cert-manager's `--dns01-recursive-nameservers`: used to find the zone, its NS names and their addresses. */
  readonly recursiveNameservers?: readonly string[];
  /** cert-manager's `--dns01-recursive-nameservers-only`: ask the recursive servers instead of the authoritative ones. */
  readonly recursiveOnly?: boolean;
  /** Port of the authoritative servers, 53 unless a test runs its server elsewhere. */
  readonly authoritativePort?: number;
  readonly timeoutMs?: number;
}

/**
 * Asks every authoritative server of the name's zone directly, as cert-manager's self check does: a caching
 * resolver could keep answering from before the record existed.
 */
export class AuthoritativePropagationChecker implements PropagationChecker {
  private readonly options: PropagationCheckOptions;

  constructor(options: PropagationCheckOptions = {}) {
    checkServerAddresses(options.nameservers ?? [], "dns01.nameservers");
    checkServerAddresses(options.recursiveNameservers ?? [], "dns01RecursiveNameservers");
    this.options = options;
  }

  async isPropagated(fqdn: string, value: string): Promise<boolean> {
    const { nameservers, timeoutMs } = this.options;
    const lookup = nameservers?.length ? { servers: nameservers, timeoutMs } : this.recursive();
    const name = await followCnames(fqdn, lookup);
    for (const target of await this.targets(name)) {
      if (!(await queryTxt(name, target)).includes(value)) return false;
    }
    return true;
  }

  private recursive(): DnsQueryOptions {
    const { recursiveNameservers, timeoutMs } = this.options;
    return recursiveNameservers?.length ? { servers: recursiveNameservers, timeoutMs } : { timeoutMs };
  }

  /** One query target per server to ask; a target without servers means the system resolvers. */
  private async targets(fqdn: string): Promise<readonly DnsQueryOptions[]> {
    const { nameservers, timeoutMs } = this.options;
    const single = (server: string) => ({ servers: [server], timeoutMs });
    if (nameservers?.length) return nameservers.map(single);
    const recursive = this.recursive();
    if (this.options.recursiveOnly) return [recursive];
    const zone = await findZone(fqdn, recursive);
    const names = await queryNs(zone, recursive);
    const port = this.options.authoritativePort ?? 53;
    const addresses = (await Promise.all(names.map((name) => queryA(name, recursive)))).flat();
    if (addresses.length === 0) {
      throw new TransientError(
        `no address found for the nameservers of ${zone} (${names.join(", ") || "no NS"})`,
      );
    }
    return [...new Set(addresses)].map((address) => single(`${address}:${port}`));
  }
}

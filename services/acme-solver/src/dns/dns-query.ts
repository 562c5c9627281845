// Lookups against chosen servers through node:dns (c-ares), which already speaks UDP with TCP fallback.
import { Resolver } from "node:dns/promises";
import { isIP } from "node:net";
import { NotFoundError, TimeoutError, TransientError, ValidationError } from "@certplane/domain";
import { absoluteName } from "./rfc2136/wire.ts";

export interface DnsQueryOptions {
  /** `ip`, `ip:port` or `[v6]:port`; the system resolvers when absent. */
  readonly servers?: readonly string[];
  readonly timeoutMs?: number;
}

/** Rejects what c-ares cannot take (host names, DoH URLs) with the field that held it. */
export function checkServerAddresses(servers: readonly string[], field: string): void {
  servers.forEach((server, index) => {
    const host = /^\[(.+)\](?::\d+)?$/.exec(server)?.[1] ?? server.replace(/:\d+$/, "");
    if (isIP(host) === 0 && isIP(server) === 0) {
      const message = server.startsWith("https://")
        ? `${server}: DNS-over-HTTPS nameservers are not supported yet`
        : `${server} is not ip[:port]`;
      throw ValidationError.of(`${field}[${index}]`, "ipPort", message);
    }
  });
}

async function ask<T>(options: DnsQueryOptions, what: string, run: (resolver: Resolver) => Promise<T>) {
  // A fresh resolver per question: c-ares caches answers per channel, and propagation checks must see changes.
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 2000, tries: 2 });
  if (options.servers) resolver.setServers([...options.servers]);
  try {
    return await run(resolver);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENODATA" || code === "ENOTFOUND") return undefined;
    const servers = options.servers?.join(", ") ?? "the system resolvers";
    if (code === "ETIMEOUT") throw new TimeoutError(`${what}: no answer from ${servers}`, { cause: error });
    throw new TransientError(`${what} at ${servers} failed: ${code ?? String(error)}`, { cause: error });
  }
}

/** TXT values at `name`, each record's strings joined; empty when the name or the type does not exist. */
export async function queryTxt(name: string, options: DnsQueryOptions = {}): Promise<string[]> {
  const records = await ask(options, `TXT lookup of ${name}`, (r) => r.resolveTxt(name));
  return (records ?? []).map((chunks) => chunks.join(""));
}

export async function queryNs(name: string, options: DnsQueryOptions = {}): Promise<string[]> {
  return (await ask(options, `NS lookup of ${name}`, (r) => r.resolveNs(name))) ?? [];
}

export async function queryA(name: string, options: DnsQueryOptions = {}): Promise<string[]> {
  return (await ask(options, `A lookup of ${name}`, (r) => r.resolve4(name))) ?? [];
}

export async function hasSoa(name: string, options: DnsQueryOptions = {}): Promise<boolean> {
  return (await ask(options, `SOA lookup of ${name}`, (r) => r.resolveSoa(name))) !== undefined;
}

/**
 * The zone holding `fqdn`: the longest suffix with its own SOA. Walks up the labels because node:dns does not
 * expose the authority section, where a server would name the zone of a NODATA answer.
 */
export async function findZone(fqdn: string, options: DnsQueryOptions = {}): Promise<string> {
  const labels = absoluteName(fqdn).slice(0, -1).split(".");
  for (let i = 0; i < labels.length; i++) {
    const candidate = `${labels.slice(i).join(".")}.`;
    if (await hasSoa(candidate, options)) return candidate;
  }
  const servers = options.servers?.join(", ") ?? "the system resolvers";
  throw new NotFoundError(`no zone (SOA) found for ${fqdn} at ${servers}`);
}

/**
 * Where a name's CNAME chain ends, asked of the given servers. cert-manager checks the end of the chain,
 * which is how a challenge delegated with a CNAME (acme-dns, a separate validation zone) is seen at all.
 */
export async function followCnames(name: string, options: DnsQueryOptions = {}): Promise<string> {
  const seen = new Set<string>();
  let current = absoluteName(name);
  while (!seen.has(current)) {
    seen.add(current);
    const at = current;
    const [target] = (await ask(options, `CNAME lookup of ${at}`, (r) => r.resolveCname(at))) ?? [];
    if (target === undefined) return current;
    current = absoluteName(target);
  }
  throw new TransientError(`the CNAMEs from ${name} loop back to ${current}`);
}

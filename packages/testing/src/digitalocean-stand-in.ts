// Test support: the domain-records part of DigitalOcean's API v2 as its reference documents it (bearer
// token, `/v2/domains/{domain}` and `/v2/domains/{domain}/records`, error bodies `{id, message}`), so
// provider tests need no account and no network.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TxtMirror } from "./txt-mirror.ts";

export interface DigitalOceanRecord {
  readonly id: number;
  readonly domain: string;
  readonly type: string;
  /** Relative to the domain, "@" for the domain itself. */
  readonly name: string;
  readonly data: string;
  readonly ttl: number;
}

export interface DigitalOceanStandInOptions {
  /** Domain names without the trailing dot. */
  readonly domains: readonly string[];
  readonly tokens: readonly string[];
  readonly mirror?: TxtMirror;
}

export interface DigitalOceanStandIn {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  records(): readonly DigitalOceanRecord[];
  close(): Promise<void>;
}

type Reply = readonly [status: number, body?: unknown];

const notFound: Reply = [
  404,
  { id: "not_found", message: "The resource you were accessing could not be found." },
];
const unprocessable = (message: string): Reply => [422, { id: "unprocessable_entity", message }];

export async function startDigitalOceanStandIn(
  options: DigitalOceanStandInOptions,
): Promise<DigitalOceanStandIn> {
  const records = new Map<number, DigitalOceanRecord>();
  let nextId = 1000;
  const fqdnOf = (r: DigitalOceanRecord) => (r.name === "@" ? r.domain : `${r.name}.${r.domain}`);
  const mirrored = (r: DigitalOceanRecord) => ({
    fqdn: `${fqdnOf(r)}.`,
    zone: `${r.domain}.`,
    value: r.data,
  });

  const create = async (domain: string, body: string): Promise<Reply> => {
    const input = JSON.parse(body || "{}") as Partial<Record<"type" | "name" | "data" | "ttl", unknown>>;
    if (input.type !== "TXT") return unprocessable("only TXT records are supported here");
    if (typeof input.name !== "string" || input.name === "") return unprocessable("Name is invalid");
    if (typeof input.data !== "string" || input.data === "")
      return unprocessable("Data needs to be a string");
    const ttl = input.ttl ?? 1800;
    if (typeof ttl !== "number" || ttl < 30) return unprocessable("TTL must be at least 30 seconds");
    // A name written as an FQDN with the trailing dot is taken relative to the domain, as the API does.
    const full = input.name.endsWith(".") ? input.name.slice(0, -1).toLowerCase() : undefined;
    if (full !== undefined && full !== domain && !full.endsWith(`.${domain}`)) {
      return unprocessable(`Name ${input.name} is not in domain ${domain}`);
    }
    const name =
      full === undefined
        ? input.name.toLowerCase()
        : full === domain
          ? "@"
          : full.slice(0, -(domain.length + 1));
    const record = { id: nextId++, domain, type: "TXT", name, data: input.data, ttl };
    await options.mirror?.present(mirrored(record));
    records.set(record.id, record);
    const { domain: _, ...shown } = record;
    return [201, { domain_record: shown }];
  };

  const route = async (request: IncomingMessage, url: URL, body: string): Promise<Reply> => {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (bearer === undefined || !options.tokens.includes(bearer)) {
      return [401, { id: "Unauthorized", message: "Unable to authenticate you" }];
    }
    const match = /^\/v2\/domains\/([^/]+)(\/records(?:\/(\d+))?)?$/.exec(url.pathname);
    const domain = match?.[1]?.toLowerCase();
    if (!match || domain === undefined || !options.domains.includes(domain)) return notFound;
    const [, , collection, id] = match;
    if (!collection && request.method === "GET")
      return [200, { domain: { name: domain, ttl: 1800, zone_file: "" } }];
    if (collection && id === undefined && request.method === "GET") {
      const type = url.searchParams.get("type");
      const name = url.searchParams.get("name")?.toLowerCase();
      const found = [...records.values()].filter(
        (r) =>
          r.domain === domain &&
          (type === null || r.type === type) &&
          (name === undefined || fqdnOf(r) === name),
      );
      const shown = found.map(({ domain: _, ...r }) => r);
      return [200, { domain_records: shown, links: {}, meta: { total: shown.length } }];
    }
    if (collection && id === undefined && request.method === "POST") return await create(domain, body);
    if (collection && id !== undefined && request.method === "DELETE") {
      const record = records.get(Number(id));
      if (!record || record.domain !== domain) return notFound;
      await options.mirror?.cleanUp(mirrored(record));
      records.delete(record.id);
      return [204];
    }
    return [
      405,
      { id: "method_not_allowed", message: `${request.method} is not allowed on ${url.pathname}` },
    ];
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let reply: Reply;
    try {
      reply = await route(
        request,
        new URL(request.url ?? "/", "http://stand-in"),
        Buffer.concat(chunks).toString(),
      );
    } catch (error) {
      reply =
        error instanceof SyntaxError
          ? [400, { id: "bad_request", message: error.message }]
          : [500, { id: "server_error", message: (error as Error).message }];
    }
    const [status, body] = reply;
    response.writeHead(status, body === undefined ? {} : { "content-type": "application/json" });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    records: () => [...records.values()],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

// Test support: the part of Cloudflare's API v4 that the DNS-01 provider uses, with Cloudflare's documented
// envelopes and error codes, so provider tests need no account and no network.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Dns01Provider } from "../dns/dns01-provider.ts";

export interface CloudflareRecord {
  readonly id: string;
  readonly zone_id: string;
  readonly zone_name: string;
  readonly type: string;
  readonly name: string;
  readonly content: string;
  readonly ttl: number;
}

export interface CloudflareStandInOptions {
  /** Zone names without the trailing dot. */
  readonly zones: readonly string[];
  readonly apiTokens?: readonly string[];
  readonly apiKeys?: readonly { readonly email: string; readonly apiKey: string }[];
  /** Also publishes TXT changes through this provider (an RFC 2136 one into bind9), so resolvers see them. */
  readonly mirror?: Dns01Provider;
}

export interface CloudflareStandIn {
  /** `http://127.0.0.1:<port>/client/v4` */
  readonly baseUrl: string;
  records(): readonly CloudflareRecord[];
  close(): Promise<void>;
}

interface Reply {
  readonly status: number;
  readonly result?: unknown;
  readonly errors?: readonly { code: number; message: string }[];
}

const ok = (result: unknown, status = 200): Reply => ({ status, result });
const fail = (status: number, code: number, message: string): Reply => ({
  status,
  errors: [{ code, message }],
});

export async function startCloudflareStandIn(options: CloudflareStandInOptions): Promise<CloudflareStandIn> {
  const zones = options.zones.map((name) => ({
    id: randomBytes(16).toString("hex"),
    name: name.toLowerCase(),
  }));
  const records = new Map<string, CloudflareRecord>();

  const authorized = (request: IncomingMessage): boolean => {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (bearer !== undefined) return options.apiTokens?.includes(bearer) ?? false;
    const email = request.headers["x-auth-email"];
    const key = request.headers["x-auth-key"];
    return options.apiKeys?.some((k) => k.email === email && k.apiKey === key) ?? false;
  };

  const createRecord = async (zone: { id: string; name: string }, body: unknown): Promise<Reply> => {
    const input = (body ?? {}) as Partial<Record<"type" | "name" | "content" | "ttl", unknown>>;
    const name = typeof input.name === "string" ? input.name.toLowerCase().replace(/\.$/, "") : "";
    const ttl = input.ttl ?? 1;
    if (input.type !== "TXT")
      return fail(400, 1004, "DNS Validation Error: only TXT records are supported here");
    if (name !== zone.name && !name.endsWith(`.${zone.name}`)) {
      return fail(400, 1004, `DNS Validation Error: ${name} is not in zone ${zone.name}`);
    }
    if (typeof input.content !== "string" || input.content === "") {
      return fail(400, 1004, "DNS Validation Error: content is required");
    }
    if (typeof ttl !== "number" || (ttl !== 1 && (ttl < 60 || ttl > 86400))) {
      return fail(400, 1004, "DNS Validation Error: ttl must be 1 (automatic) or between 60 and 86400");
    }
    const content = input.content;
    if (
      [...records.values()].some((r) => r.zone_id === zone.id && r.name === name && r.content === content)
    ) {
      return fail(400, 81058, "An identical record already exists.");
    }
    const record = {
      id: randomBytes(16).toString("hex"),
      zone_id: zone.id,
      zone_name: zone.name,
      type: "TXT",
      name,
      content,
      ttl,
    };
    await options.mirror?.present({ fqdn: `${name}.`, zone: `${zone.name}.`, value: content });
    records.set(record.id, record);
    return ok(record);
  };

  const deleteRecord = async (zoneId: string, recordId: string): Promise<Reply> => {
    const record = records.get(recordId);
    if (!record || record.zone_id !== zoneId) return fail(404, 81044, "Record does not exist.");
    await options.mirror?.cleanUp({
      fqdn: `${record.name}.`,
      zone: `${record.zone_name}.`,
      value: record.content,
    });
    records.delete(recordId);
    return ok({ id: recordId });
  };

  const route = async (request: IncomingMessage, url: URL, body: unknown): Promise<Reply> => {
    if (!authorized(request)) return fail(403, 10000, "Authentication error");
    const path = url.pathname.replace(/^\/client\/v4/, "");
    if (path === "/zones" && request.method === "GET") {
      const name = url.searchParams.get("name");
      return ok(zones.filter((zone) => name === null || zone.name === name.toLowerCase()));
    }
    const match = /^\/zones\/([^/]+)\/dns_records(?:\/([^/]+))?$/.exec(path);
    const zone = zones.find((z) => z.id === match?.[1]);
    if (!match || !zone)
      return fail(404, 7003, `Could not route to ${path}, perhaps your object identifier is invalid?`);
    const recordId = match[2];
    if (recordId === undefined && request.method === "POST") return await createRecord(zone, body);
    if (recordId === undefined && request.method === "GET") {
      const filters = (["type", "name", "content"] as const).flatMap((field) => {
        const wanted = url.searchParams.get(field);
        return wanted === null ? [] : [{ field, wanted: field === "name" ? wanted.toLowerCase() : wanted }];
      });
      return ok(
        [...records.values()].filter(
          (r) => r.zone_id === zone.id && filters.every((f) => r[f.field] === f.wanted),
        ),
      );
    }
    if (recordId !== undefined && request.method === "DELETE") return await deleteRecord(zone.id, recordId);
    return fail(405, 10000, `${request.method} is not allowed on ${path}`);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    let reply: Reply;
    try {
      reply = await route(
        request,
        new URL(request.url ?? "/", "http://stand-in"),
        text ? JSON.parse(text) : undefined,
      );
    } catch (error) {
      reply = fail(error instanceof SyntaxError ? 400 : 500, 1004, (error as Error).message);
    }
    const success = reply.errors === undefined;
    response.writeHead(reply.status, { "content-type": "application/json" });
    response.end(
      JSON.stringify({ success, errors: reply.errors ?? [], messages: [], result: reply.result ?? null }),
    );
  };

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/client/v4`,
    records: () => [...records.values()],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

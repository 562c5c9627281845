// Test support: acme-dns (joohoi/acme-dns) as its README documents the HTTP API: `POST /register` makes an
// account, `POST /update` with X-Api-User / X-Api-Key sets the TXT of the account's subdomain, keeping the two
// newest values. Its DNS side is the mirror: each value is published at the account's `fulldomain`.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TxtMirror } from "./txt-mirror.ts";

export interface AcmeDnsStandInOptions {
  /** The zone acme-dns serves, under which each account's subdomain lives (`auth.example.test`). */
  readonly domain: string;
  readonly mirror?: TxtMirror;
}

export interface AcmeDnsRegistration {
  readonly username: string;
  readonly password: string;
  readonly fulldomain: string;
  readonly subdomain: string;
  readonly allowfrom: readonly string[];
}

export interface AcmeDnsStandIn {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** The values an account's subdomain serves, oldest first. */
  txt(subdomain: string): readonly string[];
  close(): Promise<void>;
}

// acme-dns accepts only what a DNS-01 value is: 43 characters of base64url.
const txtPattern = /^[A-Za-z0-9_-]{43}$/;

export async function startAcmeDnsStandIn(options: AcmeDnsStandInOptions): Promise<AcmeDnsStandIn> {
  const accounts = new Map<string, AcmeDnsRegistration>();
  const values = new Map<string, string[]>();

  const register = (): [number, unknown] => {
    const subdomain = randomUUID();
    const registered = {
      username: randomUUID(),
      password: randomBytes(30).toString("base64url").slice(0, 40),
      subdomain,
      fulldomain: `${subdomain}.${options.domain}`,
      allowfrom: [],
    };
    accounts.set(registered.username, registered);
    values.set(registered.subdomain, []);
    return [201, registered];
  };

  const update = async (request: IncomingMessage, body: string): Promise<[number, unknown]> => {
    const account = accounts.get(String(request.headers["x-api-user"] ?? ""));
    if (!account || account.password !== request.headers["x-api-key"]) return [401, { error: "forbidden" }];
    let input: { subdomain?: unknown; txt?: unknown };
    try {
      input = JSON.parse(body);
    } catch {
      return [400, { error: "malformed_json_payload" }];
    }
    if (input.subdomain !== account.subdomain) return [401, { error: "forbidden" }];
    if (typeof input.txt !== "string" || !txtPattern.test(input.txt)) return [400, { error: "bad_txt" }];
    const held = values.get(account.subdomain) ?? [];
    const [dropped] = held.length >= 2 ? held.splice(0, 1) : [];
    held.push(input.txt);
    values.set(account.subdomain, held);
    const fqdn = `${account.fulldomain}.`;
    if (dropped !== undefined) await options.mirror?.cleanUp({ fqdn, value: dropped });
    await options.mirror?.present({ fqdn, value: input.txt });
    return [200, { txt: input.txt }];
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = new URL(request.url ?? "/", "http://stand-in").pathname;
    const [status, reply] =
      request.method !== "POST"
        ? [405, { error: "method_not_allowed" }]
        : path === "/register"
          ? register()
          : path === "/update"
            ? await update(request, Buffer.concat(chunks).toString())
            : [404, { error: "not_found" }];
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(reply));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: error.message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    txt: (subdomain) => [...(values.get(subdomain) ?? [])],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

import http from "node:http";
import type { AddressInfo } from "node:net";
import type { TokenIndex } from "./token-index.ts";

const PREFIX = "/.well-known/acme-challenge/";

export interface Http01Responder {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `/.well-known/acme-challenge/<token>` (RFC 8555 §8.3) on `host:port`. */
export async function startHttp01Responder(address: string, tokens: TokenIndex): Promise<Http01Responder> {
  const colon = address.lastIndexOf(":");
  const host = address.slice(0, colon).replace(/^\[|\]$/g, "") || "0.0.0.0";
  const port = Number(address.slice(colon + 1));
  const server = http.createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0] ?? "";
    const key = path.startsWith(PREFIX) ? tokens.keyFor(path.slice(PREFIX.length)) : undefined;
    if (request.method !== "GET" || key === undefined) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    response.writeHead(200, { "content-type": "text/plain" }).end(key);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

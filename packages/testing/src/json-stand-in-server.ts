// Test support: the HTTP plumbing of a JSON API stand-in, so each stand-in file is only its API's routes.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** A status and, unless it is empty, a body sent as JSON. */
export type JsonReply = readonly [status: number, body?: unknown];

export interface JsonRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  /** The bearer token of the `authorization` header, if there is one. */
  readonly bearer: string | undefined;
}

export interface JsonStandInServer {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Serves `route` on a free port of 127.0.0.1; a route that throws answers `failure(error)`. */
export async function startJsonStandInServer(
  route: (request: JsonRequest) => Promise<JsonReply>,
  failure: (error: Error) => JsonReply,
): Promise<JsonStandInServer> {
  const server = createServer((incoming, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const request = {
        method: incoming.method ?? "GET",
        url: new URL(incoming.url ?? "/", "http://stand-in"),
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString(),
        bearer: /^Bearer (.+)$/.exec(incoming.headers.authorization ?? "")?.[1],
      };
      const [status, body] = await route(request).catch((error: Error) => failure(error));
      response.writeHead(status, body === undefined ? {} : { "content-type": "application/json" });
      response.end(body === undefined ? undefined : JSON.stringify(body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

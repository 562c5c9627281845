import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import { type AddressInfo, createServer as createTcpServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { freePort } from "@certplane/testing";
import type { AcmeClient } from "../acme-client.ts";
import { AcmeRequestError } from "../acme-request-error.ts";
import { retryDelayMs } from "../retry-policy.ts";
import { createAcmeHttpClient } from "./acme-http-client.ts";

// The real adapter against a scripted ACME server: each endpoint answers from a queue of canned
// responses, then with a well-behaved default, and every request is counted.

type Endpoint = "dir" | "nonce" | "acct" | "order";

interface Scripted {
  readonly status: number;
  readonly problem?: { readonly type: string; readonly detail: string };
  readonly headers?: Record<string, string>;
  /** Leave out Replay-Nonce, so the client has to fetch a fresh one from newNonce. */
  readonly withoutNonce?: boolean;
}

interface Received {
  readonly endpoint: Endpoint;
  /** The JWS protected header's nonce, for POSTs. */
  readonly nonce?: string;
}

const problem = (type: string) => `urn:ietf:params:acme:error:${type}`;
const identifiers = [{ type: "dns" as const, value: "a.example.test" }];
const accountKeyPem = () =>
  generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
    type: "pkcs8",
    format: "pem",
  }) as string;

class FakeAcme {
  readonly received: Received[] = [];
  /** TCP connections accepted, TLS handshakes included. */
  connections = 0;
  readonly #script = new Map<Endpoint, Scripted[]>();
  readonly #server: http.Server | https.Server;
  #nonces = 0;

  constructor(tls?: { key: string; cert: string }) {
    const handler = (request: IncomingMessage, response: ServerResponse) =>
      void this.#handle(request, response);
    this.#server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  }

  async listen(): Promise<void> {
    this.#server.on("connection", () => {
      this.connections += 1;
    });
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
  }

  get directoryUrl(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `${this.#server instanceof https.Server ? "https" : "http"}://127.0.0.1:${port}/dir`;
  }

  script(endpoint: Endpoint, ...responses: Scripted[]): void {
    this.#script.set(endpoint, [...(this.#script.get(endpoint) ?? []), ...responses]);
  }

  count(endpoint: Endpoint): number {
    return this.received.filter((r) => r.endpoint === endpoint).length;
  }

  /** Nonces the server handed out, in order (`nonce-1`, …). */
  issued(): string[] {
    return Array.from({ length: this.#nonces }, (_, i) => `nonce-${i + 1}`);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = "";
    for await (const chunk of request) text += chunk;
    const endpoint = (request.url ?? "").slice(1).split("/")[0] as Endpoint;
    const nonce = text ? protectedHeader(text).nonce : undefined;
    this.received.push({ endpoint, ...(nonce ? { nonce } : {}) });
    const base = this.directoryUrl.replace(/\/dir$/, "");
    const scripted = this.#script.get(endpoint)?.shift();
    const headers: Record<string, string> = {
      ...(scripted?.withoutNonce ? {} : { "replay-nonce": this.#nonce() }),
    };
    if (scripted) {
      const body = scripted.problem ? JSON.stringify({ ...scripted.problem, status: scripted.status }) : "";
      response
        .writeHead(scripted.status, {
          ...headers,
          ...(scripted.problem ? { "content-type": "application/problem+json" } : {}),
          ...scripted.headers,
        })
        .end(body);
      return;
    }
    const json = (status: number, extra: Record<string, string>, body: unknown) =>
      response
        .writeHead(status, { ...headers, ...extra, "content-type": "application/json" })
        .end(JSON.stringify(body));
    switch (endpoint) {
      case "dir":
        return void json(
          200,
          {},
          { newNonce: `${base}/nonce`, newAccount: `${base}/acct`, newOrder: `${base}/order` },
        );
      case "nonce":
        return void response.writeHead(200, headers).end();
      case "acct":
        return void json(201, { location: `${base}/acct/1` }, { status: "valid" });
      case "order":
        return void json(
          201,
          { location: `${base}/order/1` },
          { status: "pending", finalize: `${base}/order/1/finalize`, authorizations: [`${base}/authz/1`] },
        );
      default:
        response.writeHead(404).end();
    }
  }

  #nonce(): string {
    this.#nonces += 1;
    return `nonce-${this.#nonces}`;
  }
}

function protectedHeader(jws: string): { nonce?: string } {
  const body = JSON.parse(jws) as { protected: string };
  return JSON.parse(Buffer.from(body.protected, "base64url").toString("utf8")) as { nonce?: string };
}

async function rejection(call: Promise<unknown>): Promise<AcmeRequestError> {
  const error = await call.then(
    () => assert.fail("the call succeeded"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AcmeRequestError, `not an AcmeRequestError: ${String(error)}`);
  return error;
}

describe("ACME HTTP client: classifying server answers", () => {
  const servers: FakeAcme[] = [];
  after(async () => {
    for (const server of servers) await server.close();
  });

  async function fake(): Promise<FakeAcme> {
    const server = new FakeAcme();
    servers.push(server);
    await server.listen();
    return server;
  }

  async function registered(server: FakeAcme): Promise<AcmeClient> {
    const client = createAcmeHttpClient({
      directoryUrl: server.directoryUrl,
      accountKeyPem: accountKeyPem(),
    });
    await client.register({ email: "ops@example.test" });
    return client;
  }

  it("a 400 malformed problem is terminal, carries type, detail and status, and is sent once", async () => {
    const server = await fake();
    server.script("acct", {
      status: 400,
      problem: { type: problem("malformed"), detail: "contact is not a mailto" },
    });
    const client = createAcmeHttpClient({
      directoryUrl: server.directoryUrl,
      accountKeyPem: accountKeyPem(),
    });

    const error = await rejection(client.register({ email: "ops@example.test" }));

    assert.equal(error.retryable, false);
    assert.deepEqual(error.problem, {
      type: problem("malformed"),
      detail: "contact is not a mailto",
      status: 400,
    });
    assert.match(error.message, /400 malformed: contact is not a mailto/);
    assert.equal(server.count("acct"), 1);
  });

  it("a 403 on newOrder is terminal too, and the next call goes out again", async () => {
    const server = await fake();
    const client = await registered(server);
    server.script("order", {
      status: 403,
      problem: { type: problem("rejectedIdentifier"), detail: "forbidden name" },
    });

    const error = await rejection(client.newOrder({ identifiers }));

    assert.equal(error.retryable, false);
    assert.equal(error.problem.type, problem("rejectedIdentifier"));
    assert.equal(server.count("order"), 1);
    assert.equal((await client.newOrder({ identifiers })).status, "pending");
    assert.equal(server.count("order"), 2);
  });

  it("a 503 is retryable and left to the caller's backoff: the adapter sends it once", async () => {
    const server = await fake();
    const client = await registered(server);
    server.script("order", {
      status: 503,
      problem: { type: problem("serverInternal"), detail: "try later" },
    });

    const error = await rejection(client.newOrder({ identifiers }));

    assert.equal(error.retryable, true);
    assert.equal(error.code, "TRANSIENT");
    assert.equal(error.problem.status, 503);
    assert.equal(error.retryAfterMs, undefined);
    assert.equal(server.count("order"), 1);
    assert.equal(retryDelayMs({ minMs: 20, maxMs: 200 }, 3, error), 80);
  });

  it("a 503 with a non-JSON body is retryable with the body as detail", async () => {
    const server = await fake();
    const client = await registered(server);
    server.script("order", { status: 502, headers: { "content-type": "text/plain" } });

    const error = await rejection(client.newOrder({ identifiers }));

    assert.equal(error.retryable, true);
    assert.deepEqual(error.problem, { detail: "HTTP 502", status: 502 });
  });

  it("a 429 with Retry-After: 2 is retryable and the backoff waits at least 2 s", async () => {
    const server = await fake();
    const client = await registered(server);
    server.script("order", {
      status: 429,
      problem: { type: problem("rateLimited"), detail: "too many new orders" },
      headers: { "retry-after": "2" },
    });

    const error = await rejection(client.newOrder({ identifiers }));

    assert.equal(error.retryable, true);
    assert.equal(error.problem.type, problem("rateLimited"));
    assert.equal(error.retryAfterMs, 2000);
    assert.equal(retryDelayMs({ minMs: 20, maxMs: 200 }, 1, error), 2000);
    // A longer backoff of our own still wins over a shorter Retry-After.
    assert.equal(retryDelayMs({ minMs: 5000, maxMs: 60_000 }, 1, error), 5000);
    assert.equal(server.count("order"), 1);
  });

  it("badNonce is retried transparently with the nonce from the rejection, then succeeds", async () => {
    const server = await fake();
    const client = await registered(server);
    server.script("order", {
      status: 400,
      problem: { type: problem("badNonce"), detail: "JWS has an invalid anti-replay nonce" },
    });
    const noncesBefore = server.count("nonce");

    const order = await client.newOrder({ identifiers });

    assert.equal(order.status, "pending");
    const posts = server.received.filter((r) => r.endpoint === "order");
    assert.equal(posts.length, 2);
    assert.notEqual(posts[0]?.nonce, posts[1]?.nonce);
    // RFC 8555 §6.5: the badNonce response carries a fresh nonce, so no extra newNonce round trip.
    assert.equal(server.count("nonce"), noncesBefore + 1);
    assert.ok(server.issued().includes(posts[1]?.nonce ?? ""));
  });

  it("badNonce without a Replay-Nonce header fetches a fresh one from newNonce", async () => {
    const server = await fake();
    const client = await registered(server);
    server.script("order", {
      status: 400,
      problem: { type: problem("badNonce"), detail: "JWS has an invalid anti-replay nonce" },
      withoutNonce: true,
    });
    const noncesBefore = server.count("nonce");

    assert.equal((await client.newOrder({ identifiers })).status, "pending");

    assert.equal(server.count("order"), 2);
    assert.equal(server.count("nonce"), noncesBefore + 2);
  });

  it("badNonce that never stops gives up after a bounded number of tries with a retryable error", async () => {
    const server = await fake();
    const client = await registered(server);
    const bad: Scripted = { status: 400, problem: { type: problem("badNonce"), detail: "stale nonce" } };
    server.script("order", ...Array.from({ length: 10 }, () => bad));

    const error = await rejection(client.newOrder({ identifiers }));

    assert.equal(error.retryable, true);
    assert.equal(error.problem.type, problem("badNonce"));
    assert.equal(server.count("order"), 6);
  });

  it("a newNonce that fails with 503 is a retryable ACME error, not acme-client's plain Error", async () => {
    const server = await fake();
    const client = await registered(server);
    server.script("nonce", { status: 503, withoutNonce: true });

    const error = await rejection(client.newOrder({ identifiers }));

    assert.equal(error.retryable, true);
    assert.equal(error.problem.status, 503);
    assert.match(error.message, /newNonce/);
    assert.equal(server.count("order"), 0);
  });
});

describe("ACME HTTP client: transport failures surface at once", () => {
  let dir: string;
  let tls: { key: string; cert: string };
  const closers: Array<() => Promise<void>> = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "acme-tls-"));
    await promisify(execFile)("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
      "-days",
      "2",
      "-subj",
      "/CN=fake-acme",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ]);
    tls = {
      key: await readFile(join(dir, "key.pem"), "utf8"),
      cert: await readFile(join(dir, "cert.pem"), "utf8"),
    };
  });
  after(async () => {
    for (const close of closers) await close();
    await rm(dir, { recursive: true, force: true });
  });

  async function tlsFake(): Promise<FakeAcme> {
    const server = new FakeAcme(tls);
    closers.push(() => server.close());
    await server.listen();
    return server;
  }

  it("connection refused is retryable and names the address, not acme-client's TypeError", async () => {
    const port = await freePort();
    const client = createAcmeHttpClient({
      directoryUrl: `http://127.0.0.1:${port}/dir`,
      accountKeyPem: accountKeyPem(),
    });

    const error = await rejection(client.register({}));

    assert.equal(error.retryable, true);
    assert.match(error.message, new RegExp(`ECONNREFUSED.*127\\.0\\.0\\.1:${port}`));
    assert.doesNotMatch(error.message, /Cannot read properties/);
  });

  it("a connection the server drops is one attempt per call, surfaced as a retryable error", async () => {
    let connections = 0;
    const server: Server = createTcpServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dir`;
    const client = createAcmeHttpClient({ directoryUrl: url, accountKeyPem: accountKeyPem() });

    const error = await rejection(client.register({}));
    assert.equal(error.retryable, true);
    assert.match(error.message, /ECONNRESET|socket hang up/);
    assert.equal(connections, 1);
    await rejection(client.register({}));
    assert.equal(connections, 2);
  });

  it("an untrusted server certificate names the TLS problem after exactly one connection per call", async () => {
    const server = await tlsFake();
    const client = createAcmeHttpClient({
      directoryUrl: server.directoryUrl,
      accountKeyPem: accountKeyPem(),
    });

    const error = await rejection(client.register({}));

    assert.equal(error.retryable, true);
    assert.match(error.message, /self[- ]signed certificate/i);
    assert.match(error.problem.detail, /DEPTH_ZERO_SELF_SIGNED_CERT/);
    assert.equal(server.connections, 1);
    assert.equal(server.received.length, 0);
    await rejection(client.register({}));
    assert.equal(server.connections, 2);
  });

  it("the same server is trusted through caBundle, or with skipTLSVerify", async () => {
    const server = await tlsFake();
    for (const trust of [{ caBundlePem: tls.cert }, { skipTLSVerify: true }]) {
      const client = createAcmeHttpClient({
        directoryUrl: server.directoryUrl,
        accountKeyPem: accountKeyPem(),
        ...trust,
      });
      assert.match((await client.register({})).uri, /\/acct\/1$/, JSON.stringify(Object.keys(trust)));
    }
  });
});

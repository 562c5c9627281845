import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { TransientError, ValidationError } from "@certplane/domain";
import { WebhookProvider, type WebhookRequest } from "./webhook-provider.ts";

describe("webhook DNS-01 provider", () => {
  const received: WebhookRequest[] = [];
  let server: Server;
  let url = "";
  before(async () => {
    server = createServer(async (request, response) => {
      let text = "";
      for await (const chunk of request) text += chunk;
      const body = JSON.parse(text) as WebhookRequest;
      received.push(body);
      const status = { ok: 204, broken: 500, rejected: 422 }[body.value] ?? 200;
      response.writeHead(status).end(status >= 400 ? `cannot ${body.action} ${body.value}` : undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dns01`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("posts present and cleanup with the record and the solver's config", async () => {
    const provider = new WebhookProvider({ url, config: { account: "a1" } });
    await provider.present({ fqdn: "_acme-challenge.example.test.", zone: "example.test.", value: "ok" });
    await provider.cleanUp({ fqdn: "_acme-challenge.example.test.", value: "ok" });
    assert.deepEqual(received.slice(-2), [
      {
        action: "present",
        fqdn: "_acme-challenge.example.test.",
        zone: "example.test.",
        value: "ok",
        config: { account: "a1" },
      },
      {
        action: "cleanup",
        fqdn: "_acme-challenge.example.test.",
        zone: null,
        value: "ok",
        config: { account: "a1" },
      },
    ]);
  });

  it("reports a 5xx as retryable, with the webhook's body", async () => {
    const provider = new WebhookProvider({ url });
    await assert.rejects(provider.present({ fqdn: "a.example.test.", value: "broken" }), (error: unknown) => {
      assert.ok(error instanceof TransientError);
      assert.match(error.message, /answered 500: cannot present broken/);
      return true;
    });
  });

  it("reports a 4xx as a permanent rejection", async () => {
    const provider = new WebhookProvider({ url });
    await assert.rejects(provider.cleanUp({ fqdn: "a.example.test.", value: "rejected" }), ValidationError);
  });
});

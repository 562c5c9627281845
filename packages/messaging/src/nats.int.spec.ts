import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type NatsServerHandle, startNatsServer } from "@certplane/testing";
import { connect as natsConnect } from "@nats-io/transport-node";
import { commandBusContract } from "./contract/index.ts";
import { NatsCommandBus } from "./nats-command-bus.ts";
import type { HandlerErrorListener } from "./port.ts";

let server: NatsServerHandle;
before(async () => {
  server = await startNatsServer();
});
after(async () => {
  await server?.dispose();
});

const connect = (name: string, onHandlerError: HandlerErrorListener) =>
  NatsCommandBus.connect({
    servers: server.url,
    name,
    onHandlerError,
    reconnectBackoff: { initialDelayMs: 50, maxDelayMs: 500 },
  });

commandBusContract("nats", ({ onHandlerError }) => connect("contract", onHandlerError));

describe("nats command bus", () => {
  const handlerErrors: unknown[] = [];
  const record: HandlerErrorListener = (error) => handlerErrors.push(error);

  it("reconnects after the server was killed and restarted, and serves requests again", async () => {
    const [handler, client] = [
      await connect("reconnect-handler", record),
      await connect("reconnect-client", record),
    ];
    try {
      await handler.handle<number, number>("reconnect.cmd.double", async ({ payload }) => payload * 2);
      assert.equal(await client.request("reconnect.cmd.double", 2), 4);

      await server.stop();
      await server.restart();

      const deadline = Date.now() + 20_000;
      let reply: number | undefined;
      while (reply === undefined) {
        try {
          reply = await client.request<number, number>("reconnect.cmd.double", 21, { timeoutMs: 500 });
        } catch (error) {
          if (Date.now() > deadline) throw error;
        }
      }
      assert.equal(reply, 42);
      assert.deepEqual(handlerErrors, []);
    } finally {
      await Promise.all([handler.close(), client.close()]);
    }
  });

  it("serves over a connection it does not own and leaves that connection open on close", async () => {
    const [client, nc] = [await connect("borrow-client", record), await natsConnect({ servers: server.url })];
    try {
      const borrowed = NatsCommandBus.fromConnection(nc, { onHandlerError: record });
      await borrowed.handle("borrowed.cmd.echo", async ({ payload }) => payload);
      assert.equal(await client.request("borrowed.cmd.echo", "hi"), "hi");

      await borrowed.close();

      assert.equal(nc.isClosed(), false);
      await assert.rejects(borrowed.request("borrowed.cmd.echo", "hi"), { code: "UNAVAILABLE" });
      await assert.rejects(client.request("borrowed.cmd.echo", "hi"), { code: "NO_RESPONDERS" });
    } finally {
      await Promise.all([client.close(), nc.close()]);
    }
  });
});

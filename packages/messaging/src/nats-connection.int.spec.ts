// What a nats-server with users and permissions refuses, as certplane's typed errors: credentials
// at connect, and subjects the user may not publish or subscribe to afterwards.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { isCertplaneError } from "@certplane/domain";
import type { NatsServerHandle } from "@certplane/testing";
import { startNatsServer } from "@certplane/testing";
import { NatsCommandBus } from "./nats-command-bus.ts";
import type { NatsConnectionSettings } from "./nats-connection.ts";

const forbidden = (pattern: RegExp) => (error: unknown) =>
  isCertplaneError(error) && error.code === "FORBIDDEN" && !error.retryable && pattern.test(error.message);

describe("NATS connections to a server with users", () => {
  let server: NatsServerHandle;
  const as = (password: string): NatsConnectionSettings => ({
    auth: { user: "alice", password, source: "ALICE_USER and ALICE_PASSWORD_FILE" },
  });
  const connect = (connection?: NatsConnectionSettings) =>
    NatsCommandBus.connect({
      servers: server.url,
      name: "nats-connection-spec",
      onHandlerError: () => undefined,
      ...(connection ? { connection } : {}),
    });

  before(async () => {
    server = await startNatsServer({
      config: [
        "authorization { users = [ { user: alice, password: $ALICE_PASSWORD, permissions: {",
        '  publish: { allow: ["allowed.>"] }, subscribe: { allow: ["allowed.>", "_INBOX.>"] }, allow_responses: true } } ] }',
      ],
      env: { ALICE_PASSWORD: "right" },
    });
  });

  after(async () => {
    await server?.dispose();
  });

  it("refuses a wrong password naming the user, the server and where the credentials came from", async () => {
    await assert.rejects(
      connect(as("wrong")),
      forbidden(
        new RegExp(
          `^NATS refused the credentials for user alice at ${server.url}: check ALICE_USER and ALICE_PASSWORD_FILE$`,
        ),
      ),
    );
  });

  it("says that the server wants credentials when none were given", async () => {
    await assert.rejects(
      connect(),
      forbidden(/a connection without credentials.*requires a user and password/),
    );
  });

  it("turns a publish, a request or a subscription outside the user's permissions into FORBIDDEN", async () => {
    const bus = await connect(as("right"));
    try {
      await bus.handle("allowed.echo", async ({ payload }) => payload);
      assert.equal(await bus.request("allowed.echo", "hi"), "hi");
      await assert.rejects(bus.request("denied.echo", "hi"), forbidden(/publish to denied\.echo/));
      await assert.rejects(
        bus.handle("denied.echo", async () => "never"),
        forbidden(/subscribe to denied\.echo/),
      );
    } finally {
      await bus.close();
    }
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { parseHostConfig } from "./host-config.ts";

describe("parseHostConfig", () => {
  it("uses the mode's defaults and puts SQLite and the KEK under the data directory", () => {
    const config = parseHostConfig(
      { CERTPLANE_DATA_DIR: "/var/lib/certplane" },
      { store: "sqlite", bus: "in-process" },
    );
    assert.equal(config.store, "sqlite");
    assert.equal(config.bus, "in-process");
    assert.equal(config.sqlitePath, "/var/lib/certplane/events.sqlite");
    assert.equal(config.kekFile, "/var/lib/certplane/kek");
    assert.equal(config.natsUrl, "nats://127.0.0.1:4222");
    assert.ok(Object.isFrozen(config));
  });

  it("refuses an unknown store with the variable and the accepted values named", () => {
    assert.throws(
      () => parseHostConfig({ CERTPLANE_STORE: "mongo" }, { store: "sqlite", bus: "in-process" }),
      (error: unknown) =>
        error instanceof ValidationError &&
        error.field === "CERTPLANE_STORE" &&
        /sqlite, jetstream, memory, eventstoredb/.test(error.message),
    );
  });

  it("requires an EventStoreDB URL when that store is chosen", () => {
    assert.throws(
      () => parseHostConfig({ CERTPLANE_STORE: "eventstoredb" }, { store: "sqlite", bus: "in-process" }),
      (error: unknown) => error instanceof ValidationError && error.field === "CERTPLANE_EVENTSTORE_URL",
    );
  });
});

import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

  it("reads a cluster's nodes from a comma-separated CERTPLANE_NATS_URL and refuses an empty entry", () => {
    const nodes = "tls://nats-1:4222, tls://nats-2:4222,tls://nats-3:4222";
    const config = parseHostConfig({ CERTPLANE_NATS_URL: nodes }, { store: "jetstream", bus: "nats" });
    assert.deepEqual(config.natsServers, ["tls://nats-1:4222", "tls://nats-2:4222", "tls://nats-3:4222"]);
    assert.equal(config.natsUrl, nodes);
    assert.throws(
      () =>
        parseHostConfig({ CERTPLANE_NATS_URL: "tls://nats-1:4222,," }, { store: "jetstream", bus: "nats" }),
      (error: unknown) =>
        error instanceof ValidationError &&
        error.field === "CERTPLANE_NATS_URL" &&
        /comma-separated list of servers/.test(error.message),
    );
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

  describe("NATS credentials and TLS", () => {
    const defaults = { store: "jetstream", bus: "nats" } as const;
    const dir = mkdtempSync(join(tmpdir(), "certplane-host-config-"));
    const passwordFile = join(dir, "password");
    writeFileSync(passwordFile, "s3cret\n");
    const refusal = (field: string, pattern: RegExp) => (error: unknown) =>
      error instanceof ValidationError && error.field === field && pattern.test(error.message);

    it("needs none: a server without authorization gets a connection without credentials", () => {
      assert.deepEqual(parseHostConfig({}, defaults).nats, {});
    });

    it("reads the password from its file once, without the file's trailing newline", () => {
      const { nats } = parseHostConfig(
        { CERTPLANE_NATS_USER: "signer", CERTPLANE_NATS_PASSWORD_FILE: passwordFile },
        defaults,
      );
      assert.equal(nats.auth?.user, "signer");
      assert.equal(nats.auth?.password, "s3cret");
      assert.match(nats.auth?.source ?? "", /CERTPLANE_NATS_USER and CERTPLANE_NATS_PASSWORD_FILE/);
    });

    it("names the missing half of a user without a password file, and of a certificate without a key", () => {
      assert.throws(
        () => parseHostConfig({ CERTPLANE_NATS_USER: "signer" }, defaults),
        refusal("CERTPLANE_NATS_PASSWORD_FILE", /go together/),
      );
      assert.throws(
        () => parseHostConfig({ CERTPLANE_NATS_TLS_CERT_FILE: passwordFile }, defaults),
        refusal("CERTPLANE_NATS_TLS_KEY_FILE", /go together/),
      );
    });

    it("names the variable of a file it cannot read", () => {
      assert.throws(
        () => parseHostConfig({ CERTPLANE_NATS_TLS_CA_FILE: join(dir, "missing.pem") }, defaults),
        refusal("CERTPLANE_NATS_TLS_CA_FILE", /cannot read .*missing\.pem/),
      );
    });

    it("keeps only the TLS files given: a CA alone verifies the server", () => {
      const { nats } = parseHostConfig({ CERTPLANE_NATS_TLS_CA_FILE: passwordFile }, defaults);
      assert.deepEqual(nats.tls, { caFile: passwordFile });
    });
  });

  describe("instances sharing work", () => {
    const jetstream = { store: "jetstream", bus: "nats" } as const;
    const refused = (env: NodeJS.ProcessEnv, field: string, rule: string) =>
      assert.throws(
        () => parseHostConfig(env, jetstream),
        (error: unknown) =>
          error instanceof ValidationError &&
          error.issues[0]?.field === field &&
          error.issues[0]?.rule === rule,
      );

    it("takes an instance id and a partition count together, on JetStream", () => {
      const config = parseHostConfig(
        { CERTPLANE_INSTANCE_ID: "signer-1", CERTPLANE_WORK_PARTITIONS: "16" },
        jetstream,
      );
      assert.equal(config.instance, "signer-1");
      assert.equal(config.workPartitions, 16);
      const alone = parseHostConfig({}, jetstream);
      assert.equal(alone.instance, undefined);
      assert.equal(alone.workPartitions, undefined);
    });

    it("refuses what cannot share work, saying what is missing", () => {
      refused({ CERTPLANE_INSTANCE_ID: "has space" }, "CERTPLANE_INSTANCE_ID", "token");
      refused(
        { CERTPLANE_INSTANCE_ID: "a", CERTPLANE_WORK_PARTITIONS: "0" },
        "CERTPLANE_WORK_PARTITIONS",
        "range",
      );
      refused({ CERTPLANE_WORK_PARTITIONS: "16" }, "CERTPLANE_WORK_PARTITIONS", "instanceRequired");
      refused(
        { CERTPLANE_STORE: "sqlite", CERTPLANE_INSTANCE_ID: "a", CERTPLANE_WORK_PARTITIONS: "16" },
        "CERTPLANE_WORK_PARTITIONS",
        "jetstreamOnly",
      );
    });
  });
});

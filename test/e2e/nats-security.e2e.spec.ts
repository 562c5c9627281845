// The five services on a nats-server that checks who connects: per-service users whose permissions
// are generated from the owner table (infra/nats/authorization.conf), over mutual TLS with
// certificates from certplane's own PKI. The chain still issues; the signer's user cannot write
// intake's events, answer intake's API or read intake's replies; wrong credentials stop a service
// with a message that says what to check.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { apiSubject } from "@certplane/api";
import { isCertplaneError } from "@certplane/domain";
import { JetStreamEventStore } from "@certplane/event-store";
import { newEvent } from "@certplane/event-store/contract";
import { NatsCommandBus } from "@certplane/messaging";
import { certctl } from "./support/certctl.ts";
import type { FiveProcessPlane } from "./support/five-process-plane.ts";
import { serviceNames, startFiveProcessPlane } from "./support/five-process-plane.ts";
import type { NatsSecurity } from "./support/nats-security.ts";
import { prepareNatsSecurity } from "./support/nats-security.ts";
import { openssl } from "./support/openssl.ts";
import { applySeedAndWait, assertSeedChainFiles } from "./support/seed-chain.ts";
import { eventually, startServiceProcess } from "./support/service-process.ts";

const forbidden = (error: unknown) => isCertplaneError(error) && error.code === "FORBIDDEN";

describe("NATS users generated from the owner table, over mutual TLS", () => {
  let dir: string;
  let security: NatsSecurity;
  let plane: FiveProcessPlane;
  let serverLog: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "certplane-nats-security-"));
    security = await prepareNatsSecurity(dir);
    serverLog = join(dir, "nats-server.log");
    plane = await startFiveProcessPlane({
      natsServer: { config: [...security.serverConfig, `log_file: "${serverLog}"`], env: security.serverEnv },
      // Each service also shares its work through partition leases in the KV bucket its user may
      // use, alone in its group here, so the permissions are proven for leases too.
      env: { CERTPLANE_WORK_PARTITIONS: "8" },
      perService: Object.fromEntries(
        serviceNames.map((name) => [
          name,
          { ...security.serviceEnv(name), CERTPLANE_INSTANCE_ID: `${name}-1` },
        ]),
      ),
      connectAs: security.connection,
    });
  });

  after(async () => {
    await plane?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("the five services, each with its own user, issue the seed chain", async () => {
    try {
      await applySeedAndWait(plane.grpcServer);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${plane.logs()}`);
    }
    await assertSeedChainFiles(plane.secretsDir);
  });

  test("every event a service appended names the instance that appended it", async () => {
    const history = await certctl(
      plane.grpcServer,
      "history",
      "certificate",
      "myapp-tls",
      "-n",
      "demo-apps",
      "--related",
      "-o",
      "json",
    );
    assert.equal(history.code, 0, history.stderr);
    const events = (JSON.parse(history.stdout) as { events: { producer?: string; instance?: string }[] })
      .events;
    assert.ok(events.length > 0);
    for (const event of events) assert.equal(event.instance, `${event.producer}-1`, JSON.stringify(event));
  });

  test("the generated permissions cover everything the services did: the server logged no violation", async () => {
    // nats-server logs each refusal as `Publish Violation - User "…", Subject "…"` (or Subscription).
    const violations = (await readFile(serverLog, "utf8"))
      .split("\n")
      .filter((line) => /Violation/.test(line));
    assert.deepEqual(violations, []);
  });

  test("the signer's user cannot append a Certificate event (intake's category)", async () => {
    const store = await JetStreamEventStore.connect({
      servers: plane.nats.url,
      connection: security.connection("signer"),
    });
    try {
      await assert.rejects(
        store.append("certificate-demo-apps_myapp-tls", [newEvent("CertificateDeleted")], "any"),
        (error: unknown) => {
          assert.ok(forbidden(error), String(error));
          assert.match(
            (error as Error).message,
            /does not allow this user to publish to events\.certificate\.demo-apps_myapp-tls/,
          );
          return true;
        },
      );
      // Reading is every service's right: the same user still reads intake's stream.
      const read = await store.read("certificate-demo-apps_myapp-tls");
      assert.ok(read.events.length > 0);
    } finally {
      await store.close();
    }
  });

  test("the signer's user cannot answer an intake API subject nor read intake's replies", async () => {
    const bus = await NatsCommandBus.connect({
      servers: plane.nats.url,
      name: "e2e-signer-impostor",
      onHandlerError: () => undefined,
      connection: security.connection("signer"),
    });
    try {
      await assert.rejects(
        bus.handle(apiSubject("get"), async () => ({ items: [] }), { queue: "intake" }),
        forbidden,
      );
      await assert.rejects(
        bus.subscribe("_INBOX.intake.>", async () => undefined),
        forbidden,
      );
      await assert.rejects(bus.request(apiSubject("get"), {}, { timeoutMs: 5_000 }), forbidden);
    } finally {
      await bus.close();
    }
  });

  test("openssl accepts the server's and the services' certificates, issued by certplane's PKI", async () => {
    for (const [name, purpose] of [
      ["server", "sslserver"],
      ["client", "sslclient"],
    ]) {
      const verdict = await openssl([
        "verify",
        "-purpose",
        `${purpose}`,
        "-CAfile",
        security.caFile,
        join(dir, `${name}.pem`),
      ]);
      assert.match(verdict, /: OK/);
    }
  });

  test("a client without a certificate from the trusted CA is refused (mutual TLS)", async () => {
    await assert.rejects(
      NatsCommandBus.connect({
        servers: plane.nats.url,
        name: "e2e-no-client-cert",
        onHandlerError: () => undefined,
        connection: { ...security.connection("signer"), tls: { caFile: security.caFile } },
      }),
      (error: unknown) => isCertplaneError(error) && !forbidden(error),
    );
  });

  test("a service given a wrong password stops with a message naming the user, the URL and what to check", async () => {
    const wrong = join(dir, "wrong.password");
    await writeFile(wrong, "not-the-password\n", { mode: 0o600 });
    const signer = startServiceProcess("signer", {
      ...process.env,
      CERTPLANE_STORE: "jetstream",
      CERTPLANE_BUS: "nats",
      CERTPLANE_NATS_URL: plane.nats.url,
      CERTPLANE_KEK: Buffer.alloc(32, 7).toString("base64"),
      CERTPLANE_DATA_DIR: join(dir, "wrong-signer"),
      ...security.serviceEnv("signer"),
      CERTPLANE_NATS_PASSWORD_FILE: wrong,
    });
    try {
      const output = await eventually(
        "the signer to refuse to start",
        async () => (/cannot start signer/.test(signer.output()) ? signer.output() : undefined),
        // A fresh process compiles the service with tsx first: slow on a loaded machine.
        { timeoutMs: 60_000 },
      );
      assert.match(
        output,
        new RegExp(
          `NATS refused the credentials for user signer at ${plane.nats.url.replace(/\./g, "\\.")}: check CERTPLANE_NATS_USER and CERTPLANE_NATS_PASSWORD_FILE`,
        ),
      );
      assert.doesNotMatch(output, /\n\s+at /, "no stack trace");
    } finally {
      await signer.kill();
    }
  });
});

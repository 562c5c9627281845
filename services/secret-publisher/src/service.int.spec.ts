import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { lstat, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CertificateSpecCommand, SecretCommand } from "@certplane/domain/model";
import {
  certificateDecider,
  certificateIssuanceDecider,
  certificateRequestDecider,
  certificateStatus,
  secretDecider,
  streams,
} from "@certplane/domain/model";
import { MemoryEventStore } from "@certplane/event-store";
import { KeyEncryptionKey, randomSerialNumber, signCertificate } from "@certplane/pki";
import { AggregateRunner, silentLogger } from "@certplane/runtime";
import { type OwnerEndpoints, startOwnerEndpoints } from "@certplane/runtime/testing";
import { FakeClock } from "@certplane/testing";
import { parseSecretPublisherConfig } from "./config.ts";
import { openPrivateKey } from "./sealed-key.ts";
import type { SecretTarget } from "./secret-target.ts";
import { startSecretPublisherService } from "./service.ts";

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function exists(path: string): Promise<boolean> {
  return await lstat(path).then(
    () => true,
    () => false,
  );
}

describe("secret-publisher service with the file target", () => {
  const clock = new FakeClock("2026-01-01T00:00:00Z");
  const store = new MemoryEventStore({ clock });
  const kek = KeyEncryptionKey.fromBytes(randomBytes(32));
  let ids = 0;
  const newId = () => `id-${++ids}`;
  const runner = new AggregateRunner({ store, clock, newId });
  const user = () => ({ correlationId: newId(), causationId: newId(), actor: "user" });
  let secretsDir: string;
  let service: { stop(): Promise<void> };

  let owners: OwnerEndpoints;
  // Plays intake, and the scheduler's first trigger of a new Certificate.
  const certificate = async (name: string, command: CertificateSpecCommand) => {
    await runner.execute(streams.certificate("apps", name), certificateDecider, command, user());
    if (command.type !== "ApplyCertificate") return;
    await runner.execute(
      streams.certificateIssuance("apps", name),
      certificateIssuanceDecider,
      { type: "TriggerIssuance", reason: "DoesNotExist", message: "new", now: command.now },
      user(),
    );
  };
  const secret = (name: string, command: SecretCommand) =>
    runner.execute(streams.secret("apps", name), secretDecider, command, user());

  before(async () => {
    secretsDir = await mkdtemp(join(tmpdir(), "certplane-publisher-"));
    const config = parseSecretPublisherConfig({ CERTPLANE_SECRETS_DIR: secretsDir });
    owners = await startOwnerEndpoints({ store, clock, newId, except: ["secret-publisher"] });
    service = await startSecretPublisherService({
      store,
      bus: owners.bus,
      clock,
      newId,
      logger: silentLogger,
      kek,
      config,
    });
  });
  after(async () => {
    await service.stop();
    await owners.stop();
    await store.close();
    await rm(secretsDir, { recursive: true, force: true });
  });

  test("publishes issued secrets as files and removes them with the certificate, never an import", async () => {
    const now = clock.now().toISOString();
    await secret("imported-tls", {
      type: "WriteSecret",
      name: "imported-tls",
      namespace: "apps",
      owner: { kind: "User", actor: "user" },
      content: { type: "Opaque", data: { note: "mine" }, sealedData: {} },
      now,
    });
    // Claims the imported secret's name: its issuance fails, and its deletion must not take the import.
    await certificate("other", {
      type: "ApplyCertificate",
      name: "other",
      namespace: "apps",
      uid: "uid-other",
      spec: { secretName: "imported-tls", issuerRef: { name: "selfsigned" }, dnsNames: ["b.example.com"] },
      now,
    });
    await certificate("web", {
      type: "ApplyCertificate",
      name: "web",
      namespace: "apps",
      uid: "uid-web",
      spec: { secretName: "web-tls", issuerRef: { name: "selfsigned" }, dnsNames: ["a.example.com"] },
      now,
    });

    const requestStream = streams.certificateRequest("apps", "web-1");
    const request = await waitFor("the certificate request", async () => {
      const { state } = await runner.load(requestStream, certificateRequestDecider);
      return state.status === "present" ? state : undefined;
    });
    const { state: nextKey } = await runner.load(streams.secret("apps", "web-next-key"), secretDecider);
    assert.equal(nextKey.status, "present");
    const key = openPrivateKey(kek, { namespace: "apps", name: "web-next-key" }, nextKey.content)!;
    const signed = await signCertificate({
      csrPem: request.spec.request,
      notBefore: clock.now(),
      serialNumber: randomSerialNumber(randomBytes),
      signer: { kind: "selfSigned", privateKey: key },
    });
    for (const command of [
      { type: "ApproveCertificateRequest", reason: "cert-manager.io", message: "approved", now },
      { type: "IssueCertificateRequest", certificate: signed.pem, now },
    ] as const) {
      await runner.execute(requestStream, certificateRequestDecider, command, user());
    }

    const dir = join(secretsDir, "apps", "web-tls");
    await waitFor("the published files", async () =>
      (await exists(join(dir, "tls.key"))) ? true : undefined,
    );
    assert.equal(await readFile(join(dir, "tls.crt"), "utf8"), signed.pem);
    assert.equal((await stat(join(dir, "tls.key"))).mode & 0o777, 0o600);
    assert.match(await readFile(join(dir, "tls.key"), "utf8"), /^-----BEGIN RSA PRIVATE KEY-----/);
    const metadata = JSON.parse(await readFile(join(dir, "metadata.json"), "utf8"));
    assert.equal(metadata.annotations["cert-manager.io/alt-names"], "a.example.com");
    assert.equal(
      await exists(join(secretsDir, "apps", "web-next-key")),
      false,
      "next keys are not published",
    );
    assert.equal(await readFile(join(secretsDir, "apps", "imported-tls", "note"), "utf8"), "mine");

    await certificate("other", { type: "DeleteCertificate", now });
    // Deletions are handled in order, so once web's files are gone other's deletion was handled too.
    await certificate("web", { type: "DeleteCertificate", now });
    await waitFor("the files to go", async () => ((await exists(dir)) ? undefined : true));
    assert.equal(await readFile(join(secretsDir, "apps", "imported-tls", "note"), "utf8"), "mine");
  });
});

describe("secret-publisher when a step keeps failing", () => {
  const clock = new FakeClock("2026-01-01T00:00:00Z");
  const store = new MemoryEventStore({ clock });
  const kek = KeyEncryptionKey.fromBytes(randomBytes(32));
  let ids = 0;
  const newId = () => `fault-${++ids}`;
  const runner = new AggregateRunner({ store, clock, newId });
  const user = () => ({ correlationId: newId(), causationId: newId(), actor: "user" });
  // The injected fault: every write to the one target fails, for a reason no retry will mend.
  const brokenTarget: SecretTarget = {
    kind: "broken",
    write: async () => {
      throw new Error("target refused the write: read-only file system");
    },
    delete: async () => {},
  };
  let owners: OwnerEndpoints;
  let service: { stop(): Promise<void> };

  before(async () => {
    owners = await startOwnerEndpoints({ store, clock, newId, except: ["secret-publisher"] });
    service = await startSecretPublisherService({
      store,
      bus: owners.bus,
      clock,
      newId,
      logger: silentLogger,
      kek,
      config: parseSecretPublisherConfig({}),
      targets: [brokenTarget],
      reactorRetryDelayMs: 5,
    });
  });
  after(async () => {
    await service.stop();
    await owners.stop();
    await store.close();
  });

  test("records the failure on the Certificate, which then shows why and backs off", async () => {
    const now = clock.now().toISOString();
    await runner.execute(
      streams.certificate("apps", "stuck"),
      certificateDecider,
      {
        type: "ApplyCertificate",
        name: "stuck",
        namespace: "apps",
        uid: "uid-stuck",
        spec: { secretName: "stuck-tls", issuerRef: { name: "selfsigned" }, dnsNames: ["s.example.com"] },
        now,
      },
      user(),
    );
    await runner.execute(
      streams.certificateIssuance("apps", "stuck"),
      certificateIssuanceDecider,
      { type: "TriggerIssuance", reason: "DoesNotExist", message: "new", now },
      user(),
    );
    const requestStream = streams.certificateRequest("apps", "stuck-1");
    const request = await waitFor("the certificate request", async () => {
      const { state } = await runner.load(requestStream, certificateRequestDecider);
      return state.status === "present" ? state : undefined;
    });
    const { state: nextKey } = await runner.load(streams.secret("apps", "stuck-next-key"), secretDecider);
    assert.equal(nextKey.status, "present");
    const signed = await signCertificate({
      csrPem: request.spec.request,
      notBefore: clock.now(),
      serialNumber: randomSerialNumber(randomBytes),
      signer: {
        kind: "selfSigned",
        privateKey: openPrivateKey(kek, { namespace: "apps", name: "stuck-next-key" }, nextKey.content)!,
      },
    });
    for (const command of [
      { type: "ApproveCertificateRequest", reason: "cert-manager.io", message: "approved", now },
      { type: "IssueCertificateRequest", certificate: signed.pem, now },
    ] as const) {
      await runner.execute(requestStream, certificateRequestDecider, command, user());
    }

    const failed = await waitFor("the recorded failure", async () => {
      const { state } = await runner.load(streams.certificate("apps", "stuck"), certificateDecider);
      return state.status === "active" && state.failure ? state : undefined;
    });
    assert.equal(failed.issuing, undefined, "the issuance is over, not stuck in Issuing");
    const issuing = certificateStatus(failed, clock.now()).conditions.find((c) => c.type === "Issuing");
    assert.equal(issuing?.status, "False");
    assert.equal(issuing?.reason, "PublishError");
    assert.match(issuing?.message ?? "", /read-only file system/);
    const { events } = await store.read(streams.certificateIssuance("apps", "stuck"));
    const recorded = events.find((event) => event.type === "IssuanceFailed")!;
    assert.deepEqual(
      [recorded.metadata.producer, recorded.metadata.actor, recorded.metadata.command?.sender],
      ["renewal-scheduler", "service:secret-publisher", "secret-publisher"],
    );
    // What follows a recorded failure is the scheduler's backoff (renewal-scheduler.unit.spec.ts).
    assert.equal(certificateStatus(failed, clock.now()).failedIssuanceAttempts, 1);
  });
});

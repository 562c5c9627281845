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
  latestFailure,
  secretDecider,
  streams,
} from "@certplane/domain/model";
import { MemoryEventStore } from "@certplane/event-store";
import { KeyEncryptionKey, randomSerialNumber, signCertificate } from "@certplane/pki";
import { AggregateRunner, silentLogger } from "@certplane/runtime";
import { type OwnerEndpoints, startOwnerEndpoints } from "@certplane/runtime/testing";
import { FakeClock, pollUntil } from "@certplane/testing";
import { parseSecretPublisherConfig } from "./config.ts";
import { openPrivateKey } from "./keys/sealed-key.ts";
import type { SecretTarget } from "./secrets/secret-target.ts";
import { startSecretPublisherService } from "./service.ts";

const waitFor = <T>(what: string, probe: () => Promise<T | undefined>) =>
  pollUntil(probe, { what, timeoutMs: 10_000 });

async function exists(path: string): Promise<boolean> {
  return await lstat(path).then(
    () => true,
    () => false,
  );
}

/**
 * The publisher service over an in-memory store, with the other owners answering its commands,
 * and the parts of intake, the scheduler and the signer it reacts to played by hand.
 */
function publisherPlane() {
  const clock = new FakeClock("2026-01-01T00:00:00Z");
  const store = new MemoryEventStore({ clock });
  const kek = KeyEncryptionKey.fromBytes(randomBytes(32));
  let ids = 0;
  const newId = () => `id-${++ids}`;
  const runner = new AggregateRunner({ store, clock, newId });
  const user = () => ({ correlationId: newId(), causationId: newId(), actor: "user" });
  let owners: OwnerEndpoints | undefined;
  let service: { stop(): Promise<void> } | undefined;
  const now = () => clock.now().toISOString();

  return {
    clock,
    store,
    runner,
    async start(options: { secretsDir?: string; targets?: readonly SecretTarget[] }) {
      owners = await startOwnerEndpoints({ store, clock, newId, except: ["secret-publisher"] });
      service = await startSecretPublisherService({
        store,
        bus: owners.bus,
        clock,
        newId,
        logger: silentLogger,
        kek,
        config: parseSecretPublisherConfig(
          options.secretsDir ? { CERTPLANE_SECRETS_DIR: options.secretsDir } : {},
        ),
        ...(options.targets ? { targets: options.targets, reactorRetryDelayMs: 5 } : {}),
      });
    },
    async stop() {
      await service?.stop();
      await owners?.stop();
      await store.close();
    },
    /** Plays intake, and the scheduler's first trigger of a new Certificate. */
    async certificate(name: string, command: CertificateSpecCommand) {
      await runner.execute(streams.certificate("apps", name), certificateDecider, command, user());
      if (command.type !== "ApplyCertificate") return;
      await runner.execute(
        streams.certificateIssuance("apps", name),
        certificateIssuanceDecider,
        { type: "TriggerIssuance", reason: "DoesNotExist", message: "new", now: command.now },
        user(),
      );
    },
    async secret(name: string, command: SecretCommand) {
      await runner.execute(streams.secret("apps", name), secretDecider, command, user());
    },
    apply(name: string, spec: { secretName: string; dnsNames: string[] }) {
      return this.certificate(name, {
        type: "ApplyCertificate",
        name,
        namespace: "apps",
        uid: `uid-${name}`,
        spec: { ...spec, issuerRef: { name: "selfsigned" } },
        now: now(),
      });
    },
    /** Plays the approver and a selfSigned signer for the request the publisher created. */
    async signRequest(requestName: string, certificateName: string): Promise<string> {
      const requestStream = streams.certificateRequest("apps", requestName);
      const request = await waitFor("the certificate request", async () => {
        const { state } = await runner.load(requestStream, certificateRequestDecider);
        return state.status === "present" ? state : undefined;
      });
      const nextKeyRef = { namespace: "apps", name: `${certificateName}-next-key` };
      const { state: nextKey } = await runner.load(streams.secret("apps", nextKeyRef.name), secretDecider);
      assert.equal(nextKey.status, "present");
      const signed = await signCertificate({
        csrPem: request.spec.request,
        notBefore: clock.now(),
        serialNumber: randomSerialNumber(randomBytes),
        signer: { kind: "selfSigned", privateKey: openPrivateKey(kek, nextKeyRef, nextKey.content)! },
      });
      for (const command of [
        { type: "ApproveCertificateRequest", reason: "cert-manager.io", message: "approved", now: now() },
        { type: "IssueCertificateRequest", certificate: signed.pem, now: now() },
      ] as const) {
        await runner.execute(requestStream, certificateRequestDecider, command, user());
      }
      return signed.pem;
    },
  };
}

describe("secret-publisher service with the file target", () => {
  const plane = publisherPlane();
  let secretsDir: string;

  before(async () => {
    secretsDir = await mkdtemp(join(tmpdir(), "certplane-publisher-"));
    await plane.start({ secretsDir });
  });
  after(async () => {
    await plane.stop();
    await rm(secretsDir, { recursive: true, force: true });
  });

  test("publishes issued secrets as files and removes them with the certificate, never an import", async () => {
    const now = plane.clock.now().toISOString();
    await plane.secret("imported-tls", {
      type: "WriteSecret",
      name: "imported-tls",
      namespace: "apps",
      owner: { kind: "User", actor: "user" },
      content: { type: "Opaque", data: { note: "mine" }, sealedData: {} },
      now,
    });
    // Claims the imported secret's name: its issuance fails, and its deletion must not take the import.
    await plane.apply("other", { secretName: "imported-tls", dnsNames: ["b.example.com"] });
    await plane.apply("web", { secretName: "web-tls", dnsNames: ["a.example.com"] });
    const pem = await plane.signRequest("web-1", "web");

    const dir = join(secretsDir, "apps", "web-tls");
    await waitFor("the published files", async () =>
      (await exists(join(dir, "tls.key"))) ? true : undefined,
    );
    assert.equal(await readFile(join(dir, "tls.crt"), "utf8"), pem);
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

    await plane.certificate("other", { type: "DeleteCertificate", now });
    // Deletions are handled in order, so once web's files are gone other's deletion was handled too.
    await plane.certificate("web", { type: "DeleteCertificate", now });
    await waitFor("the files to go", async () => ((await exists(dir)) ? undefined : true));
    assert.equal(await readFile(join(secretsDir, "apps", "imported-tls", "note"), "utf8"), "mine");
  });
});

describe("secret-publisher when a step keeps failing", () => {
  const plane = publisherPlane();
  // The injected fault: every write to the one target fails, for a reason no retry will mend.
  const brokenTarget: SecretTarget = {
    kind: "broken",
    write: async () => {
      throw new Error("target refused the write: read-only file system");
    },
    delete: async () => {},
  };

  before(() => plane.start({ targets: [brokenTarget] }));
  after(() => plane.stop());

  test("records the failure on the Certificate, which then shows why and backs off", async () => {
    await plane.apply("stuck", { secretName: "stuck-tls", dnsNames: ["s.example.com"] });
    await plane.signRequest("stuck-1", "stuck");

    const failed = await waitFor("the recorded failure", async () => {
      const { state } = await plane.runner.load(streams.certificate("apps", "stuck"), certificateDecider);
      return state.status === "active" && latestFailure(state.phase) ? state : undefined;
    });
    assert.equal(failed.phase.kind, "failed", "the issuance is over, not stuck in Issuing");
    const status = certificateStatus(failed, plane.clock.now());
    const issuing = status.conditions.find((c) => c.type === "Issuing");
    assert.equal(issuing?.status, "False");
    assert.equal(issuing?.reason, "PublishError");
    assert.match(issuing?.message ?? "", /read-only file system/);
    // What follows a recorded failure is the scheduler's backoff (renewal-scheduler.unit.spec.ts).
    assert.equal(status.failedIssuanceAttempts, 1);
    const { events } = await plane.store.read(streams.certificateIssuance("apps", "stuck"));
    const recorded = events.find((event) => event.type === "IssuanceFailed")!;
    assert.deepEqual(
      [recorded.metadata.producer, recorded.metadata.actor, recorded.metadata.command?.sender],
      ["renewal-scheduler", "service:secret-publisher", "secret-publisher"],
    );
  });
});

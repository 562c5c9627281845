import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CertplaneError, NotFoundError, ValidationError } from "@certplane/domain";
import type { CertplaneApi } from "../operations.ts";
import { FakeCertplaneApi } from "../testing/fake-api.ts";
import {
  applyResponse,
  describeResponse,
  getResponse,
  historyResponse,
  inspectResponse,
  rebuildStatus,
  replayResponse,
} from "./api-fixtures.ts";

export interface ConnectedTransport {
  readonly client: CertplaneApi;
  close(): Promise<void>;
}

export interface TransportUnderTest {
  /** Serves `api` and returns a client connected to it. */
  connect(api: CertplaneApi): Promise<ConnectedTransport>;
  /** A client whose server is not there, and the text its error must name (an address or subject). */
  unreachable(): Promise<ConnectedTransport & { readonly names: string }>;
  /** Only the gRPC API may carry a private key; the bus refuses before sending. */
  readonly carriesPrivateKeys: boolean;
}

const invalidCertificate = new ValidationError([
  { field: "spec.secretName", rule: "required", message: "secretName is required" },
  { field: "spec.renewBefore", rule: "lessThanDuration", message: "must be less than duration (2160h)" },
]);

/** Every transport carries every operation, and its typed errors, unchanged. */
export function transportContract(name: string, transport: TransportUnderTest): void {
  describe(`${name} transport contract`, () => {
    const fake = new FakeCertplaneApi({
      apply: async () => applyResponse,
      get: async (request) => {
        if (request.name === "missing") throw new NotFoundError('certificates "missing" not found');
        return getResponse;
      },
      describe: async () => describeResponse,
      delete: async () => ({ deleted: true }),
      createTlsSecret: async () => ({ outcome: "created" }),
      inspectSecret: async () => inspectResponse,
      renew: async (request) => ({ renewed: request.all ? ["demo-apps/a", "demo-apps/b"] : [] }),
      history: async () => historyResponse,
      replay: async () => replayResponse,
      accessReview: async (request) => ({
        allowed: request.namespace === "tenant-a",
        identity: "x509:CN=alice",
        reason: request.namespace === "tenant-a" ? "granted by tenant-admin" : "no role is bound to it",
      }),
      judgeCertificateRequest: async (request) => {
        if (request.name === "judged")
          throw new ValidationError([
            {
              field: "status.conditions",
              rule: "alreadyJudged",
              message: "CertificateRequest is already approved",
            },
          ]);
        return { namespace: request.namespace ?? "default", name: request.name, decision: request.decision };
      },
      rebuildReadModels: async (request) =>
        request.id === undefined
          ? { id: "rebuild-1", state: "running", folded: 0, total: 12, startedAt: rebuildStatus.startedAt }
          : rebuildStatus,
    });
    let connected: ConnectedTransport;

    before(async () => {
      connected = await transport.connect(fake);
    });
    after(async () => {
      await connected.close();
    });

    it("carries apply, with its request, both ways unchanged", async () => {
      const request = { manifests: "kind: Certificate\n", dryRun: true, defaultNamespace: "demo-apps" };
      assert.deepEqual(await connected.client.apply(request), applyResponse);
      assert.deepEqual(fake.callsTo("apply").at(-1), request);
    });

    it("carries get with resources intact, including non-ASCII text", async () => {
      const request = { kind: "Certificate" as const, namespace: "demo-apps", allNamespaces: false };
      assert.deepEqual(await connected.client.get(request), getResponse);
      assert.deepEqual(fake.callsTo("get").at(-1), request);
    });

    it("carries describe with related objects and events", async () => {
      const ref = { kind: "Certificate" as const, name: "myapp-tls", namespace: "demo-apps" };
      assert.deepEqual(await connected.client.describe(ref), describeResponse);
      assert.deepEqual(fake.callsTo("describe").at(-1), ref);
    });

    it("carries delete", async () => {
      const ref = { kind: "Issuer" as const, name: "demo", namespace: "demo-apps" };
      assert.deepEqual(await connected.client.delete(ref), { deleted: true });
      assert.deepEqual(fake.callsTo("delete").at(-1), ref);
    });

    it(
      transport.carriesPrivateKeys ? "carries createTlsSecret" : "refuses createTlsSecret before sending it",
      async () => {
        const request = {
          name: "company-ca",
          namespace: "demo-apps",
          certificatePem: "-----BEGIN CERTIFICATE-----\n",
          privateKeyPem: "-----BEGIN PRIVATE KEY-----\n",
        };
        const sentBefore = fake.callsTo("createTlsSecret").length;
        if (transport.carriesPrivateKeys) {
          assert.deepEqual(await connected.client.createTlsSecret(request), { outcome: "created" });
          assert.deepEqual(fake.callsTo("createTlsSecret").at(-1), request);
        } else {
          await assert.rejects(
            connected.client.createTlsSecret(request),
            (error: unknown) => error instanceof CertplaneError && error.code === "FORBIDDEN",
          );
          assert.equal(fake.callsTo("createTlsSecret").length, sentBefore);
        }
      },
    );

    it("carries inspectSecret with chain, ca and verification", async () => {
      const request = { name: "myapp-tls-secret", namespace: "demo-apps" };
      assert.deepEqual(await connected.client.inspectSecret(request), inspectResponse);
      assert.deepEqual(fake.callsTo("inspectSecret").at(-1), request);
    });

    it("carries renew", async () => {
      const request = { all: true, allNamespaces: true };
      assert.deepEqual(await connected.client.renew(request), { renewed: ["demo-apps/a", "demo-apps/b"] });
      assert.deepEqual(fake.callsTo("renew").at(-1), request);
    });

    it("carries history, leaving unset optional fields unset", async () => {
      const request = { name: "myapp-tls", namespace: "demo-apps" };
      assert.deepEqual(await connected.client.history(request), historyResponse);
      assert.deepEqual(fake.callsTo("history").at(-1), request);
    });

    it("carries history of any kind with its filters and every record's provenance", async () => {
      const request = {
        kind: "CertificateRequest" as const,
        name: "myapp-tls-1",
        namespace: "demo-apps",
        related: true,
        correlationId: "c-2",
        afterPosition: "17",
        waitMs: 5000,
      };
      assert.deepEqual(await connected.client.history(request), historyResponse);
      assert.deepEqual(fake.callsTo("history").at(-1), request);
    });

    it("carries get and describe at a past instant", async () => {
      const at = "2026-02-10T09:30:00Z";
      const request = { kind: "Certificate" as const, name: "myapp-tls", namespace: "demo-apps", at };
      assert.deepEqual(await connected.client.get(request), getResponse);
      assert.deepEqual(fake.callsTo("get").at(-1), request);
      assert.deepEqual(await connected.client.describe(request), describeResponse);
      assert.deepEqual(fake.callsTo("describe").at(-1), request);
    });

    it("carries replay with every object of the instant", async () => {
      const request = { at: "2026-02-10T09:30:00Z" };
      assert.deepEqual(await connected.client.replay(request), replayResponse);
      assert.deepEqual(fake.callsTo("replay").at(-1), request);
    });

    it("carries an access review both ways, namespaced and for every namespace", async () => {
      assert.deepEqual(
        await connected.client.accessReview({
          verb: "delete",
          resource: "certificates",
          namespace: "tenant-a",
        }),
        { allowed: true, identity: "x509:CN=alice", reason: "granted by tenant-admin" },
      );
      assert.deepEqual(await connected.client.accessReview({ verb: "list", resource: "secrets" }), {
        allowed: false,
        identity: "x509:CN=alice",
        reason: "no role is bound to it",
      });
      assert.deepEqual(fake.callsTo("accessReview").at(-1), { verb: "list", resource: "secrets" });
    });

    it("carries a verdict on a certificate request both ways, and the refusal of a judged one", async () => {
      const request = {
        name: "myapp-tls-1",
        namespace: "demo-apps",
        decision: "deny" as const,
        reason: "KubectlCertManager",
        message: 'manually denied by "certctl"',
      };
      assert.deepEqual(await connected.client.judgeCertificateRequest(request), {
        namespace: "demo-apps",
        name: "myapp-tls-1",
        decision: "deny",
      });
      assert.deepEqual(fake.callsTo("judgeCertificateRequest").at(-1), request);
      await assert.rejects(
        connected.client.judgeCertificateRequest({ ...request, name: "judged", decision: "approve" }),
        (error: unknown) =>
          error instanceof ValidationError &&
          error.issues[0]?.field === "status.conditions" &&
          /already approved/.test(error.message),
      );
    });

    it("carries a read-model rebuild's start and its long-polled status", async () => {
      const started = await connected.client.rebuildReadModels({});
      assert.deepEqual(started, {
        id: "rebuild-1",
        state: "running",
        folded: 0,
        total: 12,
        startedAt: rebuildStatus.startedAt,
      });
      const request = { id: "rebuild-1", waitMs: 2000 };
      assert.deepEqual(await connected.client.rebuildReadModels(request), rebuildStatus);
      assert.deepEqual(fake.callsTo("rebuildReadModels"), [{}, request]);
    });

    it("returns a ValidationError with the same issues and field", async () => {
      const failing = new FakeCertplaneApi({
        apply: async () => {
          throw invalidCertificate;
        },
      });
      const other = await transport.connect(failing);
      try {
        const error = await other.client.apply({ manifests: "{}" }).then(
          () => assert.fail("apply should have failed"),
          (e: unknown) => e,
        );
        assert.ok(error instanceof ValidationError);
        assert.equal(error.code, "VALIDATION");
        assert.equal(error.field, "spec.secretName");
        assert.deepEqual(error.issues, invalidCertificate.issues);
        assert.equal(error.message, invalidCertificate.message);
      } finally {
        await other.close();
      }
    });

    it("returns NotFound as a typed error", async () => {
      await assert.rejects(
        connected.client.get({ kind: "Certificate", name: "missing", namespace: "demo-apps" }),
        (error: unknown) =>
          error instanceof CertplaneError &&
          error.code === "NOT_FOUND" &&
          error.message === 'certificates "missing" not found',
      );
    });

    it("hides the text of errors that are not CertplaneErrors", async () => {
      const leaky = new FakeCertplaneApi({
        renew: async () => {
          throw new Error("SQLITE_BUSY at /var/lib/certplane/secret.db");
        },
      });
      const other = await transport.connect(leaky);
      try {
        await assert.rejects(
          other.client.renew({ all: true }),
          (error: unknown) =>
            error instanceof CertplaneError && error.code === "INTERNAL" && !error.message.includes("SQLITE"),
        );
      } finally {
        await other.close();
      }
    });

    it("fails with a retryable error naming where it tried when nobody serves the API", async () => {
      const lonely = await transport.unreachable();
      try {
        await assert.rejects(
          lonely.client.get({ kind: "Certificate" }),
          (error: unknown) =>
            error instanceof CertplaneError &&
            ["UNAVAILABLE", "NO_RESPONDERS"].includes(error.code) &&
            error.retryable &&
            error.message.includes(lonely.names),
        );
      } finally {
        await lonely.close();
      }
    });
  });
}

// Client identity on the NATS API, proven by the NATS server: each client user may publish API
// requests only to its own `.as.<user>` subjects, so intake knows who asks from the subject, and the
// access policy binds roles to `nats:<user>` as it does to client certificates over gRPC.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { apiSubjectAs } from "@certplane/api";
import { NatsCommandBus } from "@certplane/messaging";
import { type NatsServerHandle, startNatsServer } from "@certplane/testing";
import { type CliResult, certctl, certctlWithEnv } from "./support/certctl.ts";
import { startTestEmbeddedPlane, type TestEmbeddedPlane } from "./support/embedded-plane.ts";

const passwords = { intake: "intake-secret", alice: "alice-secret", mallory: "mallory-secret" };

/** The control plane's own user may do anything; each client may only ask, as itself. */
const authorization = [
  "authorization {",
  "  users = [",
  "    { user: intake, password: $INTAKE_PASSWORD }",
  ...(["alice", "mallory"] as const).map(
    (user) =>
      `    { user: ${user}, password: $${user.toUpperCase()}_PASSWORD, permissions: { publish: ["certplane.api.v1.*.as.${user}"], subscribe: ["_INBOX.>"] } }`,
  ),
  "  ]",
  "}",
];

const policy = `apiVersion: certplane.io/v1alpha1
kind: AccessPolicy
roles:
  - name: tenant-admin
    rules: [{ verbs: ["*"], resources: ["*"] }]
bindings:
  - { role: tenant-admin, namespaces: [tenant-a], subjects: ["nats:alice"] }
`;

const tenantA = `apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: selfsigned, namespace: tenant-a}
spec: {selfSigned: {}}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: app, namespace: tenant-a}
spec: {secretName: app-tls, dnsNames: [app.tenant-a.example], issuerRef: {name: selfsigned}}
`;

describe("the NATS API knows its callers by their NATS user", () => {
  let nats: NatsServerHandle;
  let embedded: TestEmbeddedPlane;
  let as: (user: "alice" | "mallory", ...args: string[]) => Promise<CliResult>;

  before(async () => {
    nats = await startNatsServer({
      config: authorization,
      env: {
        INTAKE_PASSWORD: passwords.intake,
        ALICE_PASSWORD: passwords.alice,
        MALLORY_PASSWORD: passwords.mallory,
      },
    });
    embedded = await startTestEmbeddedPlane(
      "certplane-nats-identity-",
      (dir) => ({
        CERTPLANE_BUS: "nats",
        CERTPLANE_NATS_URL: nats.url,
        CERTPLANE_NATS_USER: "intake",
        CERTPLANE_NATS_PASSWORD_FILE: join(dir, "intake.password"),
        CERTPLANE_ACCESS_POLICY_FILE: join(dir, "policy.yaml"),
      }),
      async (dir) => {
        for (const [user, password] of Object.entries(passwords)) {
          await writeFile(join(dir, `${user}.password`), `${password}\n`, { mode: 0o600 });
        }
        await writeFile(join(dir, "policy.yaml"), policy);
        await writeFile(join(dir, "tenant-a.yaml"), tenantA);
      },
    );
    as = (user, ...args) =>
      certctlWithEnv(
        {
          CERTPLANE_NATS_USER: user,
          CERTPLANE_NATS_PASSWORD_FILE: join(embedded.workDir, `${user}.password`),
        },
        nats.url,
        ...args,
      );
    // The local admin (plaintext gRPC on loopback) sets up tenant A.
    const applied = await certctl(embedded.server, "apply", "-f", join(embedded.workDir, "tenant-a.yaml"));
    assert.equal(applied.code, 0, applied.stderr);
  });

  after(async () => {
    await embedded?.dispose();
    await nats?.stop();
  });

  test("alice, bound in tenant-a, works there over NATS and nowhere else", async () => {
    const own = await as("alice", "get", "certificates", "-n", "tenant-a", "-o", "name");
    assert.equal(own.code, 0, own.stderr);
    assert.equal(own.stdout, "certificate.cert-manager.io/app\n");
    const elsewhere = await as("alice", "get", "certificates", "-n", "tenant-b");
    assert.equal(elsewhere.code, 1);
    assert.match(
      elsewhere.stderr,
      /^error: nats:alice cannot list certificates in the namespace "tenant-b": its roles \(tenant-admin\) do not grant/,
    );
    const canI = await as("alice", "auth", "can-i", "delete", "certificates", "-n", "tenant-a");
    assert.deepEqual([canI.code, canI.stdout], [0, "yes\n"]);
  });

  test("mallory has no role, and cannot ask in alice's name", async () => {
    const refused = await as("mallory", "get", "certificates", "-n", "tenant-a");
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /^error: nats:mallory cannot list certificates in the namespace "tenant-a": no role is bound to it/,
    );

    const bus = await NatsCommandBus.connect({
      servers: nats.url,
      name: "mallory-impersonating",
      connection: { auth: { user: "mallory", password: passwords.mallory, source: "this test" } },
      onHandlerError: () => {},
    });
    try {
      await assert.rejects(
        bus.request(
          apiSubjectAs("get", "alice"),
          { kind: "Certificate", namespace: "tenant-a" },
          { timeoutMs: 5_000 },
        ),
        (error: Error & { code?: string }) => {
          assert.match(
            error.message,
            /does not allow this user to publish to certplane\.api\.v1\.get\.as\.alice/,
          );
          assert.equal(error.code, "FORBIDDEN");
          return true;
        },
      );
    } finally {
      await bus.close();
    }
  });
});

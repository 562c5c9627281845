// API tokens for clients without a client certificate: over gRPC with TLS, a token the server knows
// (by its SHA-256 in CERTPLANE_API_TOKENS_FILE) names the caller `token:<name>`, which the access
// policy binds like any identity; an unknown token is refused, never treated as anonymous.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { apiTokenDigest } from "@certplane/api";
import { type CliResult, certctl } from "./support/certctl.ts";
import { startTestEmbeddedPlane, type TestEmbeddedPlane } from "./support/embedded-plane.ts";
import { issueFromCa, selfSigned } from "./support/openssl.ts";

const policy = `apiVersion: certplane.io/v1alpha1
kind: AccessPolicy
roles:
  - name: tenant-admin
    rules: [{ verbs: ["*"], resources: ["*"] }]
bindings:
  - { role: tenant-admin, namespaces: [team-a], subjects: ["token:ci-deployer"] }
`;

const issuer = `apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: selfsigned, namespace: team-a}
spec: {selfSigned: {}}
`;

describe("API tokens over gRPC with TLS", () => {
  let embedded: TestEmbeddedPlane;
  let withToken: (file: string | undefined, ...args: string[]) => Promise<CliResult>;

  before(async () => {
    embedded = await startTestEmbeddedPlane(
      "certplane-tokens-",
      (dir) => ({
        CERTPLANE_GRPC_TLS_CERT_FILE: join(dir, "server.pem"),
        CERTPLANE_GRPC_TLS_KEY_FILE: join(dir, "server.key"),
        CERTPLANE_API_TOKENS_FILE: join(dir, "tokens"),
        CERTPLANE_ACCESS_POLICY_FILE: join(dir, "policy.yaml"),
      }),
      async (dir) => {
        await selfSigned(dir, "ca", "-subj", "/CN=tokens-e2e-ca");
        await issueFromCa(dir, "server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1");
        await writeFile(join(dir, "tokens"), `ci-deployer sha256:${apiTokenDigest("s3cr3t-ci-token")}\n`);
        await writeFile(join(dir, "ci.token"), "s3cr3t-ci-token\n", { mode: 0o600 });
        await writeFile(join(dir, "wrong.token"), "not-the-token\n", { mode: 0o600 });
        await writeFile(join(dir, "policy.yaml"), policy);
        await writeFile(join(dir, "issuer.yaml"), issuer);
      },
    );
    withToken = (file, ...args) =>
      certctl(
        embedded.server,
        "--certificate-authority",
        join(embedded.workDir, "ca.pem"),
        ...(file === undefined ? [] : ["--token-file", join(embedded.workDir, file)]),
        ...args,
      );
  });

  after(async () => {
    await embedded?.dispose();
  });

  test("a known token acts as token:<name>, within what the policy grants it", async () => {
    const applied = await withToken("ci.token", "apply", "-f", join(embedded.workDir, "issuer.yaml"));
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /issuer\.cert-manager\.io\/selfsigned created/);
    const history = await withToken("ci.token", "history", "issuer", "selfsigned", "-n", "team-a");
    assert.match(history.stdout, /token:ci-deployer/);
    const elsewhere = await withToken("ci.token", "get", "issuers", "-n", "team-b");
    assert.equal(elsewhere.code, 1);
    assert.match(elsewhere.stderr, /^error: token:ci-deployer cannot list issuers in the namespace "team-b"/);
  });

  test("an unknown token is refused, and no token is an anonymous caller no role is bound to", async () => {
    const wrong = await withToken("wrong.token", "get", "issuers", "-n", "team-a");
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /the API token is not one this server knows: check --token-file/);
    const none = await withToken(undefined, "get", "issuers", "-n", "team-a");
    assert.equal(none.code, 1);
    assert.match(
      none.stderr,
      /^error: tls-anonymous:\S+ cannot list issuers in the namespace "team-a": no role is bound to it/,
    );
  });
});

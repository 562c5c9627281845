// The API over TLS: the embedded plane serves grpcs:// with a certificate from a private CA, and
// certctl reaches it only when told to trust that CA.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { EmbeddedControlPlane } from "@certplane/control-plane";
import { streams } from "@certplane/domain/model";
import { certctl } from "./support/certctl.ts";
import type { TestEmbeddedPlane } from "./support/embedded-plane.ts";
import { startTestEmbeddedPlane } from "./support/embedded-plane.ts";
import { issueFromCa, selfSigned } from "./support/openssl.ts";

/** A CA, a server and a client certificate signed by it, and an unrelated key pair for a TLS Secret. */
async function writeTlsFiles(dir: string): Promise<void> {
  await selfSigned(dir, "ca", "-subj", "/CN=grpc-tls-e2e-ca");
  await issueFromCa(dir, "server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1");
  await issueFromCa(dir, "client", "/CN=certctl", "extendedKeyUsage=clientAuth");
  await selfSigned(
    dir,
    "app",
    "-subj",
    "/CN=app.example.com",
    "-addext",
    "subjectAltName=DNS:app.example.com",
  );
}

/** The embedded plane serving gRPC over TLS with the server certificate. */
function startTlsPlane(
  prefix: string,
  extraEnv: (workDir: string) => Record<string, string> = () => ({}),
): Promise<TestEmbeddedPlane> {
  return startTestEmbeddedPlane(
    prefix,
    (workDir) => ({
      CERTPLANE_GRPC_TLS_CERT_FILE: join(workDir, "server.pem"),
      CERTPLANE_GRPC_TLS_KEY_FILE: join(workDir, "server.key"),
      ...extraEnv(workDir),
    }),
    writeTlsFiles,
  );
}

describe("gRPC API over TLS", () => {
  let embedded: TestEmbeddedPlane;
  let workDir: string;
  let plane: EmbeddedControlPlane;
  let address: string;
  let caFile: string;

  before(async () => {
    embedded = await startTlsPlane("certplane-grpc-tls-");
    ({ workDir, plane } = embedded);
    caFile = join(workDir, "ca.pem");
    address = plane.grpcAddress;
  });

  after(async () => {
    await embedded?.dispose();
  });

  test("the plane reports a grpcs:// URL", () => {
    assert.equal(plane.apiUrl, `grpcs://${address}`);
  });

  test("certctl with --certificate-authority lists cluster issuers over TLS", async () => {
    const got = await certctl(
      `grpcs://${address}`,
      "--certificate-authority",
      caFile,
      "get",
      "clusterissuers",
    );
    assert.equal(got.code, 0, got.stderr);
    // kubectl's answer for an empty list, which only a call that went through can give.
    assert.equal(got.stderr, "No resources found.\n");
  });

  test("without the CA, certctl fails with one line naming --certificate-authority", async () => {
    const got = await certctl(`grpcs://${address}`, "get", "clusterissuers");
    assert.equal(got.code, 1);
    assert.match(
      got.stderr,
      /^error: the certificate of the server at 127\.0\.0\.1:\d+ is not signed by a trusted CA: pass --certificate-authority FILE .*\n$/,
    );
  });

  test("a plaintext client is told to use grpcs://", async () => {
    const got = await certctl(`grpc://${address}`, "get", "clusterissuers");
    assert.equal(got.code, 1);
    assert.match(got.stderr, new RegExp(`^error: .*if it serves TLS, use --server grpcs://${address}\\n$`));
  });

  test("create secret tls sends its key over TLS and the secret is published", async () => {
    const created = await certctl(
      `grpcs://${address}`,
      "--certificate-authority",
      caFile,
      "create",
      "secret",
      "tls",
      "app-tls",
      "--cert",
      join(workDir, "app.pem"),
      "--key",
      join(workDir, "app.key"),
      "-n",
      "default",
    );
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^secret\/app-tls /);
    const inspected = await certctl(
      `grpcs://${address}`,
      "--certificate-authority",
      caFile,
      "inspect",
      "secret",
      "app-tls",
    );
    assert.equal(inspected.code, 0, inspected.stderr);
    assert.match(inspected.stdout, /app\.example\.com/);
  });
});

describe("gRPC API over mutual TLS", () => {
  let embedded: TestEmbeddedPlane;
  let workDir: string;
  let server: string;

  before(async () => {
    embedded = await startTlsPlane("certplane-grpc-mtls-", (dir) => ({
      CERTPLANE_GRPC_TLS_CLIENT_CA_FILE: join(dir, "ca.pem"),
    }));
    ({ workDir, server } = embedded);
  });

  after(async () => {
    await embedded?.dispose();
  });

  test("a client presenting a certificate from the client CA gets through", async () => {
    const got = await certctl(
      server,
      ...["--certificate-authority", join(workDir, "ca.pem")],
      ...["--client-certificate", join(workDir, "client.pem"), "--client-key", join(workDir, "client.key")],
      "get",
      "clusterissuers",
    );
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stderr, "No resources found.\n");
  });

  test("what a client applies over mutual TLS is recorded for its certificate's subject", async () => {
    const manifest = join(workDir, "issuer.yaml");
    await writeFile(
      manifest,
      "apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: mtls-applied}\nspec: {selfSigned: {}}\n",
    );
    const applied = await certctl(
      server,
      ...["--certificate-authority", join(workDir, "ca.pem")],
      ...["--client-certificate", join(workDir, "client.pem"), "--client-key", join(workDir, "client.key")],
      "apply",
      "-f",
      manifest,
    );
    assert.equal(applied.code, 0, applied.stderr);
    const { events } = await embedded.plane.infrastructure.store.read(streams.clusterIssuer("mtls-applied"));
    assert.deepEqual(
      events.map((event) => [event.type, event.metadata.actor, event.metadata.producer]),
      [["IssuerApplied", "x509:CN=certctl", "intake"]],
    );
  });

  test("a client without a certificate is refused with one clear line", async () => {
    const got = await certctl(
      server,
      "--certificate-authority",
      join(workDir, "ca.pem"),
      "get",
      "clusterissuers",
    );
    assert.equal(got.code, 1);
    assert.match(got.stderr, /^error: .*client certificate.*\n$/);
  });
});

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { UnavailableError } from "@certplane/domain";
import { resolveConnection } from "./connection.ts";
import { explainConnectionError } from "./connection-errors.ts";

const certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const key = "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n";

describe("certctl connection flags", () => {
  let dir: string;
  const file = (name: string) => join(dir, name);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "certctl-connection-"));
    await writeFile(file("ca.pem"), certificate);
    await writeFile(file("client.pem"), certificate);
    await writeFile(file("client.key"), key);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("grpcs:// selects TLS and reads the CA, client certificate and key", async () => {
    const connection = resolveConnection(
      {
        server: "grpcs://api.example.com:7443",
        "certificate-authority": file("ca.pem"),
        "client-certificate": file("client.pem"),
        "client-key": file("client.key"),
      },
      {},
    );
    assert.deepEqual(connection.target, { transport: "grpc", address: "api.example.com:7443", tls: true });
    assert.deepEqual(await connection.clientTls(), {
      caPem: certificate,
      certificatePem: certificate,
      privateKeyPem: key,
    });
  });

  it("takes the server and CA from CERTPLANE_SERVER and CERTPLANE_CA_FILE", async () => {
    const connection = resolveConnection(
      {},
      { CERTPLANE_SERVER: "grpcs://127.0.0.1:9443", CERTPLANE_CA_FILE: file("ca.pem") },
    );
    assert.deepEqual(connection.target, { transport: "grpc", address: "127.0.0.1:9443", tls: true });
    assert.deepEqual(await connection.clientTls(), { caPem: certificate });
  });

  it("ignores CERTPLANE_CA_FILE for a plaintext server", async () => {
    const connection = resolveConnection(
      { server: "grpc://127.0.0.1:7443" },
      { CERTPLANE_CA_FILE: "/nowhere" },
    );
    assert.deepEqual(connection.target, { transport: "grpc", address: "127.0.0.1:7443", tls: false });
    assert.deepEqual(await connection.clientTls(), {});
  });

  it("refuses TLS flags with a plaintext server", () => {
    assert.throws(
      () => resolveConnection({ server: "grpc://127.0.0.1:7443", "certificate-authority": "ca.pem" }, {}),
      /--certificate-authority need a grpcs:\/\/HOST:PORT server, got grpc:\/\/127\.0\.0\.1:7443/,
    );
  });

  it("refuses a client certificate without its key", () => {
    assert.throws(
      () => resolveConnection({ server: "grpcs://127.0.0.1:7443", "client-certificate": "client.pem" }, {}),
      /--client-certificate and --client-key are needed together/,
    );
  });

  it("names the flag and file when a key file holds no private key", async () => {
    const connection = resolveConnection(
      {
        server: "grpcs://127.0.0.1:7443",
        "client-certificate": file("client.pem"),
        "client-key": file("client.pem"),
      },
      {},
    );
    await assert.rejects(connection.clientTls(), /--client-key .*client\.pem holds no PEM PRIVATE KEY/);
  });
});

describe("certctl connection errors", () => {
  const tlsTarget = { transport: "grpc", address: "127.0.0.1:7443", tls: true } as const;
  const unavailable = (details: string) =>
    new UnavailableError("cannot reach the certplane API", { cause: { code: 14, details } });

  it("says which flag fixes a missing client certificate", () => {
    const explained = explainConnectionError(
      unavailable("Last error: SSL routines:ssl3_read_bytes:tlsv13 alert certificate required"),
      tlsTarget,
    );
    assert.match(
      String((explained as Error).message),
      /requires a client certificate.*--client-certificate FILE --client-key FILE/,
    );
  });

  it("tells a TLS client that the server speaks plaintext", () => {
    const explained = explainConnectionError(
      unavailable("Last error: SSL routines:ssl3_get_record:wrong version number"),
      tlsTarget,
    );
    assert.match(
      String((explained as Error).message),
      /does not speak TLS: use --server grpc:\/\/127\.0\.0\.1:7443/,
    );
  });

  it("leaves a refused connection's message alone", () => {
    const error = unavailable("Last error: connect ECONNREFUSED 127.0.0.1:7443");
    assert.equal(explainConnectionError(error, tlsTarget), error);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { parseIntakeConfig } from "./config.ts";

const files: Record<string, string> = {
  "/tls/server.pem": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
  "/tls/server.key": "-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n",
  "/tls/clients.pem": "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n",
};

function readFile(path: string): string {
  const text = files[path];
  if (text === undefined) throw Object.assign(new Error(`no such file ${path}`), { code: "ENOENT" });
  return text;
}

const parse = (env: Record<string, string>) => parseIntakeConfig(env, { readFile });

function rejects(env: Record<string, string>, field: string, message: RegExp): void {
  assert.throws(
    () => parse(env),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.issues[0]?.field, field);
      assert.match(error.message, message);
      return true;
    },
  );
}

describe("intake gRPC settings", () => {
  it("serves plaintext on 127.0.0.1:7443 when nothing is set", () => {
    assert.deepEqual(parse({}).grpc, { address: "127.0.0.1:7443" });
  });

  it("reads the certificate, key and client CA when all three files are named", () => {
    const grpc = parse({
      CERTPLANE_GRPC_ADDRESS: "0.0.0.0:7443",
      CERTPLANE_GRPC_TLS_CERT_FILE: "/tls/server.pem",
      CERTPLANE_GRPC_TLS_KEY_FILE: "/tls/server.key",
      CERTPLANE_GRPC_TLS_CLIENT_CA_FILE: "/tls/clients.pem",
    }).grpc;
    assert.deepEqual(grpc, {
      address: "0.0.0.0:7443",
      tls: {
        certificatePem: files["/tls/server.pem"],
        privateKeyPem: files["/tls/server.key"],
        clientCaPem: files["/tls/clients.pem"],
      },
    });
  });

  it("refuses a certificate without its key, naming the missing variable", () => {
    rejects(
      { CERTPLANE_GRPC_TLS_CERT_FILE: "/tls/server.pem" },
      "CERTPLANE_GRPC_TLS_KEY_FILE",
      /must be set together with CERTPLANE_GRPC_TLS_CERT_FILE/,
    );
  });

  it("refuses a key without its certificate, naming the missing variable", () => {
    rejects(
      { CERTPLANE_GRPC_TLS_KEY_FILE: "/tls/server.key" },
      "CERTPLANE_GRPC_TLS_CERT_FILE",
      /must be set together with CERTPLANE_GRPC_TLS_KEY_FILE/,
    );
  });

  it("refuses a client CA when the server itself has no certificate", () => {
    rejects(
      { CERTPLANE_GRPC_TLS_CLIENT_CA_FILE: "/tls/clients.pem" },
      "CERTPLANE_GRPC_TLS_CLIENT_CA_FILE",
      /also set CERTPLANE_GRPC_TLS_CERT_FILE and CERTPLANE_GRPC_TLS_KEY_FILE/,
    );
  });

  it("names the variable and path of a file it cannot read", () => {
    rejects(
      { CERTPLANE_GRPC_TLS_CERT_FILE: "/tls/missing.pem", CERTPLANE_GRPC_TLS_KEY_FILE: "/tls/server.key" },
      "CERTPLANE_GRPC_TLS_CERT_FILE",
      /cannot read \/tls\/missing\.pem: ENOENT/,
    );
  });

  it("refuses a key file that holds no private key, without quoting its contents", () => {
    rejects(
      { CERTPLANE_GRPC_TLS_CERT_FILE: "/tls/server.pem", CERTPLANE_GRPC_TLS_KEY_FILE: "/tls/server.pem" },
      "CERTPLANE_GRPC_TLS_KEY_FILE",
      /^CERTPLANE_GRPC_TLS_KEY_FILE: \/tls\/server\.pem holds no PEM PRIVATE KEY$/,
    );
  });

  it("refuses plaintext on a non-loopback address and says what to set", () => {
    rejects(
      { CERTPLANE_GRPC_ADDRESS: "0.0.0.0:7443" },
      "CERTPLANE_GRPC_ADDRESS",
      /not a loopback address.*CERTPLANE_GRPC_TLS_CERT_FILE and CERTPLANE_GRPC_TLS_KEY_FILE.*CERTPLANE_GRPC_INSECURE=true/,
    );
  });

  it("serves plaintext off loopback when CERTPLANE_GRPC_INSECURE=true", () => {
    assert.deepEqual(
      parse({ CERTPLANE_GRPC_ADDRESS: "10.0.0.5:7443", CERTPLANE_GRPC_INSECURE: "true" }).grpc,
      {
        address: "10.0.0.5:7443",
      },
    );
  });

  for (const address of ["127.0.0.1:0", "127.8.9.10:7443", "localhost:7443", "[::1]:7443"]) {
    it(`treats ${address} as loopback`, () => {
      assert.deepEqual(parse({ CERTPLANE_GRPC_ADDRESS: address }).grpc, { address });
    });
  }

  for (const address of ["[::]:7443", "127.example.com:7443", "192.168.1.2:7443"]) {
    it(`treats ${address} as reachable from other hosts`, () => {
      rejects({ CERTPLANE_GRPC_ADDRESS: address }, "CERTPLANE_GRPC_ADDRESS", /not a loopback address/);
    });
  }

  it("refuses a CERTPLANE_GRPC_INSECURE that is not a boolean", () => {
    rejects(
      { CERTPLANE_GRPC_ADDRESS: "0.0.0.0:7443", CERTPLANE_GRPC_INSECURE: "yes" },
      "CERTPLANE_GRPC_INSECURE",
      /must be "true" or "false"/,
    );
  });
});

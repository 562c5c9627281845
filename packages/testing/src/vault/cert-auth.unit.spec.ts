// The stand-in's HTTPS listener and TLS certificate auth method, as node-vault sees them: the
// client certificate of the handshake is what logs in, checked against the cert role's CA and
// allowed_common_names, and a listener configured to require client certificates refuses a
// handshake without one. Certificates come from openssl, as a Vault operator's would.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import nodeVault from "node-vault";
import { VaultStandIn } from "./vault-stand-in.ts";

const run = promisify(execFile);

interface KeyPair {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** An openssl CA in `dir` that issues P-256 certificates for 127.0.0.1 or a client name. */
async function opensslCa(dir: string, name: string) {
  const file = (suffix: string) => join(dir, `${name}-${suffix}`);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  await run("openssl", [
    "req",
    "-x509",
    ...ec,
    "-keyout",
    file("ca.key"),
    "-out",
    file("ca.pem"),
    "-days",
    "2",
    "-subj",
    `/CN=${name}`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  let serial = 0;
  return {
    certificatePem: await readFile(file("ca.pem"), "utf8"),
    async issue(commonName: string, usage: "serverAuth" | "clientAuth"): Promise<KeyPair> {
      serial += 1;
      const leaf = (suffix: string) => file(`${serial}.${suffix}`);
      await run("openssl", [
        "req",
        ...ec,
        "-keyout",
        leaf("key"),
        "-out",
        leaf("csr"),
        "-subj",
        `/CN=${commonName}`,
      ]);
      await writeFile(
        leaf("ext"),
        `${usage === "serverAuth" ? "subjectAltName=IP:127.0.0.1\n" : ""}basicConstraints=critical,CA:FALSE\n` +
          `keyUsage=critical,digitalSignature\nextendedKeyUsage=${usage}\n`,
      );
      await run("openssl", [
        "x509",
        "-req",
        "-in",
        leaf("csr"),
        "-CA",
        file("ca.pem"),
        "-CAkey",
        file("ca.key"),
        "-set_serial",
        String(serial),
        "-out",
        leaf("pem"),
        "-days",
        "1",
        "-extfile",
        leaf("ext"),
      ]);
      return {
        certificatePem: await readFile(leaf("pem"), "utf8"),
        privateKeyPem: await readFile(leaf("key"), "utf8"),
      };
    },
  };
}

interface VaultFailure {
  readonly message: string;
  readonly code?: string;
  readonly response?: { readonly statusCode: number };
}

async function failure(call: Promise<unknown>): Promise<VaultFailure> {
  try {
    await call;
  } catch (error) {
    return error as VaultFailure;
  }
  assert.fail("the call succeeded");
}

describe("Vault stand-in over HTTPS with TLS certificate auth", () => {
  let dir: string;
  let serverCa: Awaited<ReturnType<typeof opensslCa>>;
  let clientCa: Awaited<ReturnType<typeof opensslCa>>;
  let otherCa: Awaited<ReturnType<typeof opensslCa>>;
  let vault: VaultStandIn;
  let strict: VaultStandIn;
  let signer: KeyPair;
  const client = (server: VaultStandIn, certificate?: KeyPair, token = "") =>
    nodeVault({
      endpoint: server.url,
      token,
      requestOptions: {
        ca: serverCa.certificatePem,
        ...(certificate ? { cert: certificate.certificatePem, key: certificate.privateKeyPem } : {}),
      },
    });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "certplane-vault-tls-"));
    [serverCa, clientCa, otherCa] = await Promise.all([
      opensslCa(dir, "vault-server-ca"),
      opensslCa(dir, "vault-client-ca"),
      opensslCa(dir, "other-ca"),
    ]);
    const listener = await serverCa.issue("vault.test", "serverAuth");
    signer = await clientCa.issue("signer.certplane", "clientAuth");
    // Real time: openssl's certificates are valid from now.
    vault = await VaultStandIn.start({ now: () => new Date(), tls: listener });
    vault.writeCertRole("certplane", {
      certificate: clientCa.certificatePem,
      allowed_common_names: ["*.certplane"],
      token_ttl: "1h",
    });
    vault.writeCertRole("ops-only", { certificate: clientCa.certificatePem, allowed_common_names: ["ops"] });
    strict = await VaultStandIn.start({
      now: () => new Date(),
      tls: { ...listener, requireClientCertificateFrom: clientCa.certificatePem },
    });
  });
  after(async () => {
    await vault?.stop();
    await strict?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("serves https and logs in the client certificate of the handshake for the named cert role", async () => {
    assert.match(vault.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await client(vault, signer).write("auth/cert/login", { name: "certplane" });
    assert.equal(answer.auth.lease_duration, 3600);
    assert.equal(answer.auth.metadata.cert_name, "certplane");
    assert.equal(answer.auth.metadata.common_name, "signer.certplane");
    const token = answer.auth.client_token as string;
    const self = await client(vault, undefined, token).tokenLookupSelf();
    assert.equal(self.data.id, token);
  });

  it("tries every cert role of the mount when the login names none", async () => {
    const answer = await client(vault, signer).write("auth/cert/login", {});
    assert.equal(answer.auth.metadata.cert_name, "certplane");
  });

  it("refuses a login without a client certificate, one of another CA, and a common name the role does not allow", async () => {
    const none = await failure(client(vault).write("auth/cert/login", { name: "certplane" }));
    assert.equal(none.response?.statusCode, 400);
    assert.equal(none.message, "client certificate must be supplied");

    const foreign = await otherCa.issue("signer.certplane", "clientAuth");
    const untrusted = await failure(client(vault, foreign).write("auth/cert/login", { name: "certplane" }));
    assert.equal(untrusted.response?.statusCode, 400);
    assert.equal(untrusted.message, "invalid certificate or no client certificate supplied");

    const unknownRole = await failure(client(vault, signer).write("auth/cert/login", { name: "nope" }));
    assert.equal(unknownRole.message, "invalid certificate or no client certificate supplied");

    const wrongName = await failure(client(vault, signer).write("auth/cert/login", { name: "ops-only" }));
    assert.equal(wrongName.response?.statusCode, 400);
    assert.equal(
      wrongName.message,
      "no chain matching all constraints could be found for this login certificate",
    );
  });

  it("answers the TLS certificate login only over TLS: a plain-HTTP stand-in has no client certificate", async () => {
    const plain = await VaultStandIn.start({ now: () => new Date() });
    try {
      plain.writeCertRole("certplane", { certificate: clientCa.certificatePem });
      const refused = await failure(
        nodeVault({ endpoint: plain.url, token: "" }).write("auth/cert/login", { name: "certplane" }),
      );
      assert.equal(refused.response?.statusCode, 400);
      assert.equal(refused.message, "tls connection required");
    } finally {
      await plain.stop();
    }
  });

  it("with a required client certificate, completes the handshake only for certificates of its client CA", async () => {
    const token = strict.createToken();
    const self = await client(strict, signer, token).tokenLookupSelf();
    assert.equal(self.data.id, token);
    const refused = await failure(client(strict, undefined, token).tokenLookupSelf());
    assert.equal(refused.response, undefined, "no HTTP answer: the handshake itself failed");
    assert.match(refused.message, /tlsv13 alert certificate required/);
  });

  it("is not trusted by a client that lacks its CA", async () => {
    const refused = await failure(
      nodeVault({ endpoint: vault.url, token: "" }).write("auth/cert/login", { name: "certplane" }),
    );
    assert.equal(refused.response, undefined);
    assert.equal(refused.code, "UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  });
});

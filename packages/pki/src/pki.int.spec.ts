import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { signCertificate } from "./certificate-builder.ts";
import { createCsr } from "./csr.ts";
import {
  encodePrivateKeyPem,
  generatePrivateKey,
  type KeyEncoding,
  type KeySpec,
  parsePrivateKeyPem,
  publicKeysMatch,
} from "./keys.ts";

const run = promisify(execFile);
const openssl = async (...args: string[]) => (await run("openssl", args)).stdout;

describe("PKI against the openssl binary", () => {
  let dir: string;
  const file = async (name: string, content: string) => {
    const path = join(dir, name);
    await writeFile(path, content, { mode: 0o600 });
    return path;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "certplane-pki-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("issues a CA and a leaf that openssl verifies and describes", async () => {
    const notBefore = new Date(Date.now() - 60_000);
    const caKey = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
    const ca = await signCertificate({
      csrPem: await createCsr(
        { subject: { commonName: "Demo Root", organizations: ["Demo Corp"] }, isCA: true },
        caKey,
      ),
      isCA: true,
      duration: 365 * 24 * 3600 * 1000,
      notBefore,
      serialNumber: "01",
      signer: { kind: "selfSigned", privateKey: caKey },
    });
    const leafKey = await generatePrivateKey({ algorithm: "RSA", size: 2048 });
    const usages = ["digital signature", "key encipherment", "server auth"];
    const leaf = await signCertificate({
      csrPem: await createCsr(
        { subject: { commonName: "app.example" }, dnsNames: ["app.example", "api.example"], usages },
        leafKey,
      ),
      usages,
      notBefore,
      serialNumber: "7f000000000000000000000000000001",
      signer: { kind: "ca", privateKey: caKey, certificatePem: ca.pem },
    });
    const caPath = await file("ca.pem", ca.pem);
    const leafPath = await file("leaf.pem", leaf.pem);

    assert.equal((await openssl("verify", "-CAfile", caPath, leafPath)).trim(), `${leafPath}: OK`);
    const caText = await openssl("x509", "-in", caPath, "-noout", "-text");
    assert.match(caText, /Subject: O = Demo Corp, CN = Demo Root/);
    assert.match(caText, /Basic Constraints: critical\s+CA:TRUE/);
    assert.match(caText, /Key Usage: critical\s+Digital Signature, Key Encipherment, Certificate Sign/);
    const leafText = await openssl("x509", "-in", leafPath, "-noout", "-text");
    assert.match(leafText, /DNS:app\.example, DNS:api\.example/);
    assert.match(leafText, /Basic Constraints: critical\s+CA:FALSE/);
    assert.match(leafText, /Key Usage: critical\s+Digital Signature, Key Encipherment/);
    assert.match(leafText, /Extended Key Usage:\s+TLS Web Server Authentication/);
    assert.match(leafText, /Signature Algorithm: ecdsa-with-SHA256/);
  });

  it("produces CSRs that pass openssl req -verify", async () => {
    for (const spec of [
      { algorithm: "RSA" },
      { algorithm: "ECDSA", size: 521 },
      { algorithm: "Ed25519" },
    ] as const) {
      const key = await generatePrivateKey(spec);
      const path = await file(
        `req-${spec.algorithm}.pem`,
        await createCsr({ subject: { commonName: "r.example" }, dnsNames: ["r.example"] }, key),
      );
      const { stderr } = await run("openssl", ["req", "-in", path, "-noout", "-verify"]);
      assert.match(stderr, /verify OK/);
    }
  });

  const keyCases: { spec: KeySpec; tool: string; header: RegExp }[] = [
    { spec: { algorithm: "RSA", size: 2048 }, tool: "rsa", header: /BEGIN RSA PRIVATE KEY/ },
    { spec: { algorithm: "RSA", size: 4096 }, tool: "rsa", header: /BEGIN RSA PRIVATE KEY/ },
    { spec: { algorithm: "ECDSA", size: 256 }, tool: "ec", header: /BEGIN EC PRIVATE KEY/ },
    { spec: { algorithm: "ECDSA", size: 384 }, tool: "ec", header: /BEGIN EC PRIVATE KEY/ },
    { spec: { algorithm: "ECDSA", size: 521 }, tool: "ec", header: /BEGIN EC PRIVATE KEY/ },
    { spec: { algorithm: "Ed25519" }, tool: "pkey", header: /BEGIN PRIVATE KEY/ },
  ];
  for (const { spec, tool, header } of keyCases) {
    for (const encoding of ["PKCS1", "PKCS8"] as KeyEncoding[]) {
      it(`round-trips a ${spec.algorithm} ${spec.size ?? ""} ${encoding} key through openssl ${tool} and pkey`, async () => {
        const key = await generatePrivateKey(spec);
        const pem = encodePrivateKeyPem(key, encoding);
        assert.match(pem, encoding === "PKCS1" ? header : /BEGIN PRIVATE KEY/);
        const path = await file(`key-${spec.algorithm}-${spec.size}-${encoding}.pem`, pem);
        const viaPkey = await openssl("pkey", "-in", path);
        assert.ok(publicKeysMatch(parsePrivateKeyPem(viaPkey), key));
        // openssl 3's `rsa` writes PKCS#8 unless told to keep the traditional (PKCS#1) form.
        const viaTool = await openssl(tool, "-in", path, ...(tool === "rsa" ? ["-traditional"] : []));
        assert.ok(publicKeysMatch(parsePrivateKeyPem(viaTool), key));
        const text = await openssl(tool, "-in", path, "-noout", "-text");
        if (spec.size !== undefined) assert.match(text, new RegExp(`Private-Key: \\(${spec.size} bit`));
      });
    }
  }
});

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { createCsr, parseCsr, verifyCsrSignature } from "./csr.ts";
import { generatePrivateKey, type KeySpec } from "./keys.ts";

const run = promisify(execFile);

describe("createCsr (DER) against the openssl binary", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "certplane-der-csr-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const keySpecs: readonly KeySpec[] = [
    { algorithm: "RSA", size: 2048 },
    { algorithm: "ECDSA", size: 256 },
    { algorithm: "ECDSA", size: 521 },
    { algorithm: "Ed25519" },
  ];
  for (const spec of keySpecs) {
    it(`writes a ${spec.algorithm}${spec.size ? ` ${spec.size}` : ""} request that openssl req -verify accepts`, async () => {
      const key = await generatePrivateKey(spec);
      const pem = await createCsr(
        {
          subject: { commonName: "req.example", organizations: ["Demo"] },
          dnsNames: ["req.example"],
          ipAddresses: ["192.0.2.9", "2001:db8::9"],
          uris: ["spiffe://demo/req"],
          emailAddresses: ["req@demo.example"],
          otherNames: [{ oid: "1.3.6.1.4.1.311.20.2.3", utf8Value: "req@upn.example" }],
          isCA: true,
          usages: ["cert sign", "server auth"],
          nameConstraints: { critical: true, permitted: { dnsDomains: ["demo.example"] } },
        },
        key,
      );
      const path = join(dir, "req.pem");
      await writeFile(path, pem);
      const { stdout, stderr } = await run("/usr/bin/openssl", [
        "req",
        "-verify",
        "-noout",
        "-text",
        "-in",
        path,
      ]);
      assert.match(`${stdout}${stderr}`, /verify OK/i);
      assert.match(stdout, /DNS:req\.example, email:req@demo\.example, IP Address:192\.0\.2\.9/);
      assert.match(stdout, /X509v3 Name Constraints: critical/);
    });
  }
});

describe("client requests signed with RSASSA-PSS, made by openssl", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "certplane-pss-csr-"));
    await run("/usr/bin/openssl", [
      "genpkey",
      "-algorithm",
      "RSA",
      "-pkeyopt",
      "rsa_keygen_bits:2048",
      "-out",
      join(dir, "key.pem"),
    ]);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** `openssl req -new` signing with PSS over `digest`, as Go's crypto/x509 would accept or refuse it. */
  const pssRequest = async (digest: string, saltLength: string) => {
    const path = join(dir, `${digest}-${saltLength}.csr`);
    await run("/usr/bin/openssl", [
      "req",
      "-new",
      "-key",
      join(dir, "key.pem"),
      "-subj",
      "/CN=pss.example",
      `-${digest}`,
      "-sigopt",
      "rsa_padding_mode:pss",
      "-sigopt",
      `rsa_pss_saltlen:${saltLength}`,
      "-out",
      path,
    ]);
    return parseCsr(await readFile(path, "utf8"));
  };

  it("verifies SHA-256 and SHA-512 PSS requests, whatever their salt length", async () => {
    assert.equal(await verifyCsrSignature(await pssRequest("sha256", "32")), true);
    assert.equal(await verifyCsrSignature(await pssRequest("sha512", "64")), true);
    assert.equal(await verifyCsrSignature(await pssRequest("sha256", "20")), true);
  });

  it("refuses a SHA-1 PSS request, as cert-manager's Go does, and a PSS signature that was altered", async () => {
    assert.equal(await verifyCsrSignature(await pssRequest("sha1", "20")), false);
    const csr = await pssRequest("sha256", "32");
    const der = Buffer.from(csr.der);
    der[der.length - 1]! ^= 0x01;
    assert.equal(await verifyCsrSignature({ ...csr, der }), false);
  });
});

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { encodeJks } from "./jks-keystore.ts";
import { encodePrivateKeyPem } from "./keys.ts";
import type { IssuedChain } from "./testing/index.ts";
import { issueTestChain, keytoolList, opensslPkcs12Info, pemBlocksIn, runTool } from "./testing/index.ts";

const password = "changeit-too";
const created = new Date("2026-03-04T05:06:07Z");

describe("JKS keystores read by keytool", () => {
  let dir: string;
  const chains: Record<string, IssuedChain> = {};

  const writeTruststore = async (name: string) => {
    const path = join(dir, name);
    const trusted = [{ alias: "ca", certificate: chains.RSA!.caDer }];
    await writeFile(path, encodeJks({ password, trusted, created, random: randomBytes }));
    return path;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "certplane-jks-"));
    chains.RSA = await issueTestChain({ algorithm: "RSA", size: 2048 });
    chains.ECDSA = await issueTestChain({ algorithm: "ECDSA", size: 256 });
    chains.Ed25519 = await issueTestChain({ algorithm: "Ed25519" });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const algorithm of ["RSA", "ECDSA", "Ed25519"]) {
    it(`lists the ${algorithm} PrivateKeyEntry with its chain and the CA, and gives the key back unchanged`, async () => {
      const chain = chains[algorithm]!;
      const path = join(dir, `${algorithm}.jks`);
      await writeFile(
        path,
        encodeJks({
          password,
          keys: [{ alias: "MyApp", key: chain.leafKey, chain: [chain.leafDer, chain.caDer] }],
          trusted: [{ alias: "ca", certificate: chain.caDer }],
          created,
          random: randomBytes,
        }),
      );
      const listed = await keytoolList(path, password);
      assert.match(listed, /Keystore type: JKS/);
      assert.match(listed, /Your keystore contains 2 entries/);
      assert.match(
        listed,
        /Alias name: myapp\s+Creation date: Mar 4, 2026\s+Entry type: PrivateKeyEntry\s+Certificate chain length: 2/,
      );
      assert.match(listed, /Alias name: ca\s+Creation date: Mar 4, 2026\s+Entry type: trustedCertEntry/);
      assert.match(listed, /Owner: CN=app\.example/);

      // keytool decrypts the key with Sun's key protector when it converts the store; openssl reads the result.
      const converted = join(dir, `${algorithm}-converted.p12`);
      await runTool("keytool", [
        "-importkeystore",
        "-srckeystore",
        path,
        "-srcstorepass",
        password,
        "-srcalias",
        "myapp",
        "-destkeystore",
        converted,
        "-deststoretype",
        "PKCS12",
        "-deststorepass",
        password,
      ]);
      const info = await opensslPkcs12Info(converted, password);
      assert.deepEqual(pemBlocksIn(info, "PRIVATE KEY"), [
        encodePrivateKeyPem(chain.leafKey, "PKCS8").trim(),
      ]);
    });
  }

  it("a truststore lists the CA as a trustedCertEntry", async () => {
    const path = await writeTruststore("truststore.jks");
    const listed = await keytoolList(path, password);
    assert.match(listed, /Your keystore contains 1 entry/);
    assert.match(
      listed,
      /Alias name: ca\s+Creation date: Mar 4, 2026\s+Entry type: trustedCertEntry\s+Owner: CN=Keystore Test CA/,
    );
  });

  it("keytool refuses the store under a wrong password (the keyed SHA-1 digest is checked)", async () => {
    const path = await writeTruststore("wrong.jks");
    await assert.rejects(keytoolList(path, "wrong-password"), /password was incorrect|tampered/);
  });
});

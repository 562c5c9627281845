import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { encodePrivateKeyPem } from "./keys.ts";
import { toPem } from "./pem.ts";
import type { Pkcs12Profile } from "./pkcs12-keystore.ts";
import { encodePkcs12Keystore, encodePkcs12Truststore } from "./pkcs12-keystore.ts";
import type { IssuedChain } from "./testing/index.ts";
import {
  issueTestChain,
  keytoolList,
  opensslPkcs12Info,
  pemBlocksIn,
  ToolFailedError,
} from "./testing/index.ts";

const password = "s3cret p@ss";
const profiles: readonly Pkcs12Profile[] = ["LegacyRC2", "LegacyDES", "Modern2023"];

describe("PKCS#12 keystores read by openssl and keytool", () => {
  let dir: string;
  let chain: IssuedChain;
  const file = async (name: string, bytes: Uint8Array) => {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return path;
  };

  /** A keystore of the leaf alone, written to `name`. */
  const leafKeystore = (name: string, profile: Pkcs12Profile, secret = password) =>
    file(
      name,
      encodePkcs12Keystore({
        profile,
        password: secret,
        key: chain.leafKey,
        certificates: [chain.leafDer],
        random: randomBytes,
      }),
    );

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "certplane-p12-"));
    chain = await issueTestChain({ algorithm: "ECDSA", size: 384 });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const profile of profiles) {
    it(`a ${profile} keystore holds the key, the leaf and the CA, with the profile's algorithms`, async () => {
      const path = await file(
        `${profile}.p12`,
        encodePkcs12Keystore({
          profile,
          password,
          key: chain.leafKey,
          certificates: [chain.leafDer, chain.caDer],
          random: randomBytes,
        }),
      );
      // OpenSSL 3 keeps RC2 in its legacy provider: a LegacyRC2 file needs -legacy, as go-pkcs12 documents.
      const info = await opensslPkcs12Info(path, password, { legacy: profile === "LegacyRC2" });
      const expected = {
        LegacyRC2: [
          /MAC: sha1, Iteration 1/,
          /PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC, Iteration 2048/,
          /Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/,
        ],
        LegacyDES: [
          /MAC: sha1, Iteration 1/,
          /PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/,
          /Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/,
        ],
        Modern2023: [
          /MAC: sha256, Iteration 2048/,
          /MAC length: 32, salt length: 16/,
          /PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/,
          /Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/,
        ],
      }[profile];
      for (const pattern of expected) assert.match(info, pattern);
      assert.deepEqual(
        pemBlocksIn(info, "CERTIFICATE"),
        [toPem("CERTIFICATE", chain.leafDer), toPem("CERTIFICATE", chain.caDer)].map((p) => p.trim()),
      );
      assert.deepEqual(pemBlocksIn(info, "PRIVATE KEY"), [
        encodePrivateKeyPem(chain.leafKey, "PKCS8").trim(),
      ]);
      assert.match(info, /localKeyID:/);

      const listed = await keytoolList(path, password);
      assert.match(listed, /Entry type: PrivateKeyEntry/);
      assert.match(listed, /Certificate chain length: 2/);
    });

    it(`a ${profile} truststore holds the CA as a trusted certificate`, async () => {
      const path = await file(
        `${profile}-trust.p12`,
        encodePkcs12Truststore({ profile, password, certificates: [chain.caDer], random: randomBytes }),
      );
      const listed = await keytoolList(path, password);
      assert.match(listed, /Your keystore contains 1 entry/);
      assert.match(listed, /Alias name: cn=keystore test ca/);
      assert.match(listed, /Entry type: trustedCertEntry/);
      const info = await opensslPkcs12Info(path, password, { legacy: profile === "LegacyRC2" });
      assert.deepEqual(pemBlocksIn(info, "CERTIFICATE"), [toPem("CERTIFICATE", chain.caDer).trim()]);
      assert.match(info, /friendlyName: CN=Keystore Test CA/);
    });
  }

  it("OpenSSL 3 refuses LegacyRC2 without -legacy: the reason that profile is not the one to pick", async () => {
    const path = await leafKeystore("rc2-default.p12", "LegacyRC2");
    await assert.rejects(opensslPkcs12Info(path, password), (error: unknown) => {
      assert.ok(error instanceof ToolFailedError);
      assert.match(error.output, /RC2-40-CBC|unsupported/);
      return true;
    });
  });

  for (const profile of ["LegacyDES", "Modern2023"] as const) {
    it(`a ${profile} keystore with a non-ASCII password opens with that password in openssl`, async () => {
      const unicode = "pässwörd ✓";
      const path = await leafKeystore(`${profile}-unicode.p12`, profile, unicode);
      const info = await opensslPkcs12Info(path, unicode);
      assert.equal(pemBlocksIn(info, "PRIVATE KEY").length, 1);
    });
  }

  it("a wrong password fails the MAC check", async () => {
    const path = await leafKeystore("wrong.p12", "Modern2023");
    await assert.rejects(opensslPkcs12Info(path, "not the password"), /mac verify failure|invalid password/i);
  });
});

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { parsePrivateKeyPem } from "./keys.ts";
import { pemBlocks } from "./pem.ts";
import { encodePkcs12Keystore, encodePkcs12Truststore } from "./pkcs12-keystore.ts";
import { seededRandom } from "./seeded-random.ts";
import { counterRandom } from "./testing/index.ts";

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8");
const key = parsePrivateKeyPem(fixture("rsa-2048-key.pem"));
const cert = pemBlocks(fixture("rsa-self-signed.pem"))[0]!.der;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

// Pinned from files that `openssl pkcs12 -legacy -info` and keytool read back (fixed key, certificate,
// password "kat" and counter randomness): any change to the encoding shows up here first.
const knownAnswers = {
  LegacyRC2: {
    keystore: "e95f1688905150515b98debe9e44eca823d0b2033ed662a1043b6d8dfcc85de5",
    truststore: "22c2b7ea561855962f128b59b9744c3aa362ef1af141a3119f5ed80d85753a0c",
  },
  LegacyDES: {
    keystore: "1821558044bab668440de4b5d30c749324b6ce739f08202703b3ae34914e0ba6",
    truststore: "9acd6ba634f3d08829388dfedb5d478cde252a3084aea09489d7a6f443056bfa",
  },
  Modern2023: {
    keystore: "2a77c56b73c1e82ecd424e6bd6991f970aa547fb67b35722a95f3a1e6d171b57",
    truststore: "7c3b9ddf80c9df6909e341e452455128487e2718878a8981e8ba6552ed9947c0",
  },
} as const;

const legacyDes = (password: string, certificates: Uint8Array[]) =>
  encodePkcs12Keystore({ profile: "LegacyDES", password, key, certificates, random: counterRandom() });

describe("PKCS#12 encoder", () => {
  for (const [profile, expected] of Object.entries(knownAnswers) as [
    keyof typeof knownAnswers,
    (typeof knownAnswers)[keyof typeof knownAnswers],
  ][]) {
    it(`writes the known ${profile} keystore and truststore for fixed inputs`, () => {
      const keystore = encodePkcs12Keystore({
        profile,
        password: "kat",
        key,
        certificates: [cert],
        random: counterRandom(),
      });
      const truststore = encodePkcs12Truststore({
        profile,
        password: "kat",
        certificates: [cert],
        random: counterRandom(),
      });
      assert.equal(sha256(keystore), expected.keystore);
      assert.equal(sha256(truststore), expected.truststore);
    });
  }

  it("is byte-stable for the same seed and changes with the password", () => {
    const build = (password: string) =>
      encodePkcs12Keystore({
        profile: "Modern2023",
        password,
        key,
        certificates: [cert],
        random: seededRandom(new Uint8Array(32), "p12"),
      });
    assert.deepEqual(build("one"), build("one"));
    assert.notDeepEqual(build("one"), build("two"));
  });

  it("refuses a password outside the BMP, which a PKCS#12 BMPString cannot hold", () => {
    assert.throws(
      () => legacyDes("emoji 🔑", [cert]),
      (error: unknown) => error instanceof ValidationError && error.issues[0]?.rule === "ucs2",
    );
  });

  it("refuses a keystore without a certificate", () => {
    assert.throws(
      () => legacyDes("x", []),
      (error: unknown) => error instanceof ValidationError && error.issues[0]?.rule === "required",
    );
  });
});

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { encodeJks } from "./jks-keystore.ts";
import { parsePrivateKeyPem } from "./keys.ts";
import { pemBlocks } from "./pem.ts";
import { counterRandom } from "./testing/index.ts";

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8");
const key = parsePrivateKeyPem(fixture("rsa-2048-key.pem"));
const cert = pemBlocks(fixture("rsa-self-signed.pem"))[0]!.der;
const created = new Date("2025-01-01T00:00:00Z");

describe("JKS encoder", () => {
  it("writes the known keystore for fixed inputs (pinned from a file keytool lists)", () => {
    const jks = encodeJks({
      password: "kat",
      keys: [{ alias: "certificate", key, chain: [cert] }],
      trusted: [{ alias: "ca", certificate: cert }],
      created,
      random: counterRandom(),
    });
    assert.equal(
      createHash("sha256").update(jks).digest("hex"),
      "6a8f1620bdd0f59aa078ebebb92beb19ab6b4f689f90a9e90e7d0fdd5e94f823",
    );
  });

  it("starts with FEEDFEED, version 2 and the entry count, and ends with the keyed SHA-1 of the rest", () => {
    const jks = encodeJks({
      password: "kat",
      trusted: [{ alias: "ca", certificate: cert }],
      created,
      random: counterRandom(),
    });
    assert.equal(jks.readUInt32BE(0), 0xfeedfeed);
    assert.equal(jks.readUInt32BE(4), 2);
    assert.equal(jks.readUInt32BE(8), 1);
    const body = jks.subarray(0, jks.length - 20);
    const password = Buffer.from([0, 0x6b, 0, 0x61, 0, 0x74]); // "kat" as UTF-16BE
    const digest = createHash("sha1").update(password).update("Mighty Aphrodite").update(body).digest();
    assert.deepEqual(jks.subarray(jks.length - 20), digest);
  });

  it("lower-cases aliases and refuses two entries under one", () => {
    assert.throws(
      () =>
        encodeJks({
          password: "kat",
          keys: [{ alias: "CA", key, chain: [cert] }],
          trusted: [{ alias: "ca", certificate: cert }],
          created,
          random: counterRandom(),
        }),
      (error: unknown) => error instanceof ValidationError && error.issues[0]?.rule === "duplicate",
    );
  });
});

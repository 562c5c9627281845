import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { combinedPem, privateKeyDer } from "./output-formats.ts";
import { pemBlocks } from "./pem.ts";

const keyPem = readFileSync(new URL("fixtures/rsa-2048-key.pem", import.meta.url), "utf8");
const certPem = readFileSync(new URL("fixtures/rsa-self-signed.pem", import.meta.url), "utf8");

describe("additional output formats", () => {
  it("key.der is the DER inside tls.key's PEM block", () => {
    assert.deepEqual(privateKeyDer(keyPem), pemBlocks(keyPem)[0]!.der);
  });

  it("tls-combined.pem is tls.key, a newline, then tls.crt", () => {
    assert.equal(combinedPem(keyPem, certPem), `${keyPem}\n${certPem}`);
  });

  it("key.der of a PEM without a private key is refused", () => {
    assert.throws(() => privateKeyDer(certPem), /tls\.key holds no PEM private key/);
  });
});

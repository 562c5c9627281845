import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import { ValidationError } from "@certplane/domain";
import { KeyEncryptionKey } from "./key-encryption-key.ts";
import { isSealed, open, seal, sealDeterministic } from "./sealing.ts";

const kek = KeyEncryptionKey.fromBytes(Buffer.alloc(32, 7));
const other = KeyEncryptionKey.fromBytes(Buffer.alloc(32, 8));
const owner = "secret/default/web-tls/tls.key";
const rule = (expected: string) => (error: unknown) =>
  error instanceof ValidationError && error.issues[0]?.rule === expected;

describe("sealing", () => {
  it("opens what it sealed, for the same owner", () => {
    const sealed = seal(kek, "-----BEGIN PRIVATE KEY-----", owner, randomBytes);
    assert.ok(isSealed(sealed));
    assert.match(sealed, new RegExp(`^sealed:v1:${kek.id}:[^:]+:[^:]+:[^:]+$`));
    assert.equal(open(kek, sealed, owner).toString(), "-----BEGIN PRIVATE KEY-----");
  });

  it("names the KEK by the first 8 hex digits of its SHA-256", () => {
    assert.equal(kek.id, "4bb06f8e");
  });

  it("does not open for another owner", () => {
    const sealed = seal(kek, "key", owner, randomBytes);
    assert.throws(() => open(kek, sealed, "secret/default/other/tls.key"), rule("integrity"));
  });

  it("refuses another KEK by id before trying to decrypt", () => {
    assert.throws(() => open(other, seal(kek, "key", owner, randomBytes), owner), rule("kekMismatch"));
  });

  it("detects a tampered ciphertext", () => {
    const sealed = seal(kek, "some private key bytes", owner, randomBytes);
    const parts = sealed.split(":");
    const ciphertext = Buffer.from(parts[5]!, "base64");
    ciphertext[0]! ^= 1;
    parts[5] = ciphertext.toString("base64");
    assert.throws(() => open(kek, parts.join(":"), owner), rule("integrity"));
  });

  it("rejects values that are not sealed:v1", () => {
    assert.throws(() => open(kek, "plaintext", owner), rule("format"));
    assert.throws(() => open(kek, `sealed:v1:${kek.id}:AA==:AA==:AA==`, owner), rule("format"));
  });

  it("never shows the key bytes when logged or serialised", () => {
    const secret = KeyEncryptionKey.fromBytes(Buffer.from("0123456789abcdef0123456789abcdef"));
    assert.equal(inspect(secret), `KeyEncryptionKey(${secret.id})`);
    assert.equal(JSON.stringify({ secret }), `{"secret":{"id":"${secret.id}"}}`);
  });

  it("accepts only 32-byte keys", () => {
    assert.throws(() => KeyEncryptionKey.fromBase64(Buffer.alloc(16).toString("base64")), rule("length"));
  });

  it("seals the same value under the same owner to the same text when deterministic, and only then", () => {
    const once = sealDeterministic(kek, "keystore-password", owner);
    assert.equal(sealDeterministic(kek, "keystore-password", owner), once);
    assert.equal(open(kek, once, owner).toString(), "keystore-password");
    const ivOf = (sealed: string) => sealed.split(":")[3];
    assert.notEqual(
      ivOf(sealDeterministic(kek, "keystore-passwore", owner)),
      ivOf(once),
      "another value, another IV",
    );
    assert.notEqual(
      ivOf(sealDeterministic(kek, "keystore-password", `${owner}2`)),
      ivOf(once),
      "another owner, another IV",
    );
    assert.notEqual(sealDeterministic(other, "keystore-password", owner), once);
    assert.throws(() => open(kek, once, `${owner}2`), rule("integrity"));
  });
});

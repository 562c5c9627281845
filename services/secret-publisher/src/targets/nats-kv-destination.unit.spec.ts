import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { describe, it } from "node:test";
import type { SecretTargetSpec } from "@certplane/domain";
import { ValidationError } from "@certplane/domain";
import { streams } from "@certplane/domain/model";
import { JweRecipient } from "../adapters/jwe-recipient.ts";
import { natsCredentialsOf } from "./nats-kv-destination.ts";
import type { DestinationContext } from "./target-destinations.ts";
import { credentialStreamOf, destinationsOf } from "./target-destinations.ts";

const field = "spec.natsKV.credentialsSecretRef";
const refusedOn = (expected: string, secretValue?: string) => (error: unknown) => {
  assert.ok(error instanceof ValidationError);
  assert.equal(error.field, expected);
  if (secretValue !== undefined) assert.doesNotMatch(error.message, new RegExp(secretValue));
  return true;
};

describe("natsCredentialsOf reads one documented form from the credentials Secret", () => {
  it("takes a .creds file, a token, or user and password", () => {
    const creds = "-----BEGIN NATS USER JWT-----\neyJ0\n------END NATS USER JWT------\n";
    assert.deepEqual(natsCredentialsOf({ creds }, "cert-manager/edge-nats"), { kind: "creds", creds });
    assert.deepEqual(natsCredentialsOf({ token: "s3cret" }, "x"), { kind: "token", token: "s3cret" });
    assert.deepEqual(natsCredentialsOf({ user: "edge", password: "pw" }, "x"), {
      kind: "userPassword",
      user: "edge",
      password: "pw",
    });
  });

  it("refuses none, two forms, half a pair or a creds key that is no .creds file, without echoing values", () => {
    assert.throws(() => natsCredentialsOf({ kubeconfig: "k" }, "x"), refusedOn(field));
    assert.throws(
      () => natsCredentialsOf({ token: "t0ken", user: "u", password: "p" }, "x"),
      refusedOn(field, "t0ken"),
    );
    assert.throws(() => natsCredentialsOf({ user: "u" }, "x"), refusedOn(field));
    assert.throws(() => natsCredentialsOf({ creds: "hunter2" }, "x"), refusedOn(field, "hunter2"));
  });
});

describe("JweRecipient takes only keys a JWE can be encrypted to", () => {
  const pem = (type: "ed25519" | "rsa") =>
    (type === "rsa"
      ? generateKeyPairSync("rsa", { modulusLength: 1024 })
      : generateKeyPairSync("ed25519")
    ).publicKey
      .export({ type: "spki", format: "pem" })
      .toString();
  const at = "spec.natsKV.recipient.publicKey";

  it("refuses Ed25519 (a signing key), short RSA and text that is no public key, on the field", async () => {
    await assert.rejects(JweRecipient.fromPublicKeyPem(pem("ed25519"), at), refusedOn(at));
    await assert.rejects(JweRecipient.fromPublicKeyPem(pem("rsa"), at), refusedOn(at));
    await assert.rejects(JweRecipient.fromPublicKeyPem("not a key", at), refusedOn(at));
  });
});

describe("destinationsOf builds a natsKV target", () => {
  const ctx = { clusterResourceNamespace: "cert-manager" } as DestinationContext;
  const spec = (natsKV: NonNullable<SecretTargetSpec["natsKV"]>): SecretTargetSpec => ({ natsKV });

  it("without connecting: one destination, and a close for its connection", async () => {
    const built = await destinationsOf(
      ctx,
      "edge-kv",
      spec({ bucket: "certificates", servers: ["nats://127.0.0.1:1"], privateKeys: "Plaintext" }),
    );
    assert.equal(built.destinations.length, 1);
    assert.equal(built.destinations[0]?.location, "nats://127.0.0.1:1 bucket certificates");
    assert.equal(built.destinations[0]?.namespaceFor("apps"), "apps");
    assert.equal(built.destinations[0]?.writer.kind, "nats-kv");
    await built.close?.();
  });

  it("a recipient key that does not parse is refused on its field", async () => {
    await assert.rejects(
      destinationsOf(
        ctx,
        "edge-kv",
        spec({ bucket: "b", servers: ["nats://n:4222"], recipient: { publicKey: "x" } }),
      ),
      refusedOn("spec.natsKV.recipient.publicKey"),
    );
  });

  it("names the credentials Secret's stream, so a change to it rebuilds the target", () => {
    assert.equal(
      credentialStreamOf(
        spec({ bucket: "b", servers: ["nats://n:4222"], credentialsSecretRef: { name: "edge-nats" } }),
        "cert-manager",
      ),
      streams.secret("cert-manager", "edge-nats"),
    );
    assert.equal(
      credentialStreamOf(spec({ bucket: "b", servers: ["nats://n:4222"] }), "cert-manager"),
      undefined,
    );
  });
});

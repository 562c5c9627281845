import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { VaultStandIn } from "@certplane/testing/vault";
import nodeVault from "node-vault";
import type { PublishedSecret, SecretRef } from "../secrets/secret-target.ts";
import { secretTargetContract } from "./secret-target-contract.ts";
import { decodeKvSecret, VaultKvConflictError, VaultKvSecretTarget } from "./vault-kv-secret-target.ts";

// The stand-in speaks Vault's HTTP API to the real node-vault client; see the Vault recipe for why
// there is no real Vault here.
const now = () => new Date("2026-03-01T00:00:00Z");
let fixtureCount = 0;

async function readKv(
  vault: VaultStandIn,
  prefix: string,
  ref: SecretRef,
): Promise<PublishedSecret | undefined> {
  const stored = vault.kvSecret(`${prefix}/${ref.namespace}/${ref.name}`);
  return stored === undefined ? undefined : decodeKvSecret(ref, stored.data);
}

describe("VaultKvSecretTarget against the Vault stand-in", () => {
  let vault: VaultStandIn;
  let token: string;

  before(async () => {
    vault = await VaultStandIn.start({ now, namespace: "platform" });
    token = vault.createToken();
  });
  after(async () => {
    await vault?.stop();
  });

  const target = (prefix: string) =>
    new VaultKvSecretTarget({
      server: vault.url,
      mount: "secret",
      prefix,
      namespace: "platform",
      token: async () => token,
    });

  secretTargetContract({
    kind: "vault-kv",
    fixture: async () => {
      // A prefix per test keeps the tests apart in the one stand-in.
      const prefix = `contract-${++fixtureCount}`;
      return { target: target(prefix), read: (ref) => readKv(vault, prefix, ref), dispose: async () => {} };
    },
  });

  const web: SecretRef = { namespace: "apps", name: "web-tls" };
  const secret = (serial: string): PublishedSecret => ({
    ...web,
    type: "kubernetes.io/tls",
    data: { "tls.crt": `certificate ${serial}\n`, "ca.crt": "ca\n" },
    secretData: { "tls.key": `key ${serial}\n` },
    labels: {},
    annotations: {},
    owner: { kind: "Certificate", name: "web", uid: "uid-1" },
  });

  test("a foreign write between two of ours is detected by check-and-set and left as is", async () => {
    const ours = target("foreign");
    await ours.write(secret("one"));
    const foreign = nodeVault({ endpoint: vault.url, token, namespace: "platform" });
    await foreign.write("secret/data/foreign/apps/web-tls", { data: { "tls.crt": "someone else's" } });

    const refused = await ours.write(secret("two")).then(
      () => assert.fail("the write went through"),
      (error: unknown) => error,
    );
    assert.ok(refused instanceof VaultKvConflictError);
    assert.equal(refused.code, "CONCURRENCY");
    assert.equal(refused.path, "secret/foreign/apps/web-tls");
    assert.match(refused.message, /vault kv metadata delete secret\/foreign\/apps\/web-tls/);
    assert.deepEqual(vault.kvSecret("foreign/apps/web-tls")?.data, { "tls.crt": "someone else's" });
  });

  test("a restarted target recognises its own secret and rewrites it, but not someone else's", async () => {
    await target("restart").write(secret("one"));
    await target("restart").write(secret("two"));
    assert.deepEqual(await readKv(vault, "restart", web), secret("two"));
    assert.equal(vault.kvSecret("restart/apps/web-tls")?.version, 2);

    const foreign = nodeVault({ endpoint: vault.url, token, namespace: "platform" });
    await foreign.write("secret/data/theirs/apps/web-tls", { data: { password: "x" } });
    await assert.rejects(target("theirs").write(secret("one")), VaultKvConflictError);
  });

  test("a refused token is a 403 with its status, a sealed Vault is retryable", async () => {
    const denied = new VaultKvSecretTarget({
      server: vault.url,
      mount: "secret",
      prefix: "denied",
      namespace: "platform",
      token: async () => "hvs.unknown",
    });
    await assert.rejects(denied.write(secret("one")), { status: 403, code: "FORBIDDEN" });
    vault.seal();
    try {
      await assert.rejects(target("sealed").write(secret("one")), { code: "TRANSIENT", retryable: true });
    } finally {
      vault.unseal();
    }
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import nodeVault from "node-vault";
import { FakeClock } from "../fake-clock.ts";
import { VaultStandIn, type VaultStandInCa } from "./vault-stand-in.ts";

interface VaultFailure {
  readonly message: string;
  readonly response: { readonly statusCode: number; readonly body: unknown };
}

async function failure(call: Promise<unknown>): Promise<VaultFailure> {
  try {
    await call;
  } catch (error) {
    return error as VaultFailure;
  }
  assert.fail("the call succeeded");
}

// Real certificates are the signer's specs' business; here the CA only records what it was asked.
const recordingCa: VaultStandInCa & { readonly asked: { csrPem: string; durationMs: number }[] } = {
  certificatePem: "-----BEGIN CERTIFICATE-----\nroot\n-----END CERTIFICATE-----\n",
  asked: [],
  async sign({ csrPem, notBefore, durationMs }) {
    if (csrPem === "garbage") throw new Error("not a PEM CSR");
    recordingCa.asked.push({ csrPem, durationMs });
    return {
      pem: `-----BEGIN CERTIFICATE-----\n${csrPem}\n-----END CERTIFICATE-----\n`,
      serialNumberHex: "1a2b3c",
      notAfter: new Date(notBefore.getTime() + durationMs),
    };
  },
};

describe("Vault stand-in, as node-vault sees it", () => {
  const clock = new FakeClock("2026-03-01T00:00:00Z");
  let vault: VaultStandIn;
  let token: string;
  const client = (options: { token?: string; namespace?: string } = {}) =>
    nodeVault({ endpoint: vault.url, token: options.token ?? "", namespace: options.namespace ?? "team-a" });

  before(async () => {
    vault = await VaultStandIn.start({ now: () => clock.now(), namespace: "team-a", ca: recordingCa });
    vault.writeRole("web", { allowed_domains: ["example.com"], allow_subdomains: true, max_ttl: "72h" });
    vault.writeAppRole("role-1", "secret-1", 600);
    token = vault.createToken();
  });
  after(async () => {
    await vault.stop();
  });

  it("signs a CSR for an allowed name through its CA, in Vault's envelope", async () => {
    const answer = await client({ token }).write("pki/sign/web", {
      csr: "www-csr",
      common_name: "www.example.com",
      alt_names: "www.example.com",
      ttl: "24h",
    });
    assert.deepEqual(Object.keys(answer).sort(), [
      "auth",
      "data",
      "lease_duration",
      "lease_id",
      "renewable",
      "request_id",
      "warnings",
      "wrap_info",
    ]);
    assert.equal(answer.warnings, null);
    assert.equal(answer.data.certificate, "-----BEGIN CERTIFICATE-----\nwww-csr\n-----END CERTIFICATE-----");
    assert.equal(answer.data.issuing_ca, recordingCa.certificatePem.trim());
    assert.deepEqual(answer.data.ca_chain, [answer.data.issuing_ca]);
    assert.equal(answer.data.serial_number, "1a:2b:3c");
    assert.equal(answer.data.expiration, Math.floor(clock.now().getTime() / 1000) + 24 * 3600);
  });

  it("caps a ttl above the role's max_ttl and says so in Vault's warning", async () => {
    const answer = await client({ token }).write("pki/sign/web", {
      csr: "api-csr",
      common_name: "api.example.com",
      ttl: "768h0m0s",
    });
    assert.deepEqual(answer.warnings, [
      'TTL "768h0m0s" is longer than permitted maxTTL "72h0m0s", so maxTTL is being used',
    ]);
    assert.equal(recordingCa.asked.at(-1)?.durationMs, 72 * 3600_000);
  });

  it("refuses a name outside allowed_domains and an unknown role with 400 and Vault's message", async () => {
    const outside = await failure(
      client({ token }).write("pki/sign/web", {
        csr: "evil-csr",
        common_name: "evil.test",
      }),
    );
    assert.equal(outside.response.statusCode, 400);
    assert.equal(outside.message, "common name evil.test not allowed by this role");
    assert.deepEqual(outside.response.body, { errors: ["common name evil.test not allowed by this role"] });
    const unknown = await failure(client({ token }).write("pki/sign/nope", { csr: "x" }));
    assert.equal(unknown.response.statusCode, 400);
    assert.equal(unknown.message, "unknown role: nope");
    const garbage = await failure(
      client({ token }).write("pki/sign/web", { csr: "garbage", common_name: "www.example.com" }),
    );
    assert.equal(garbage.response.statusCode, 400);
    assert.equal(garbage.message, "error parsing CSR: not a PEM CSR");
  });

  it("answers 403 permission denied for a missing, unknown or other-namespace token", async () => {
    for (const call of [
      client().write("pki/sign/web", {}),
      client({ token: "hvs.unknown" }).tokenLookupSelf(),
      client({ token, namespace: "team-b" }).tokenLookupSelf(),
    ]) {
      const refused = await failure(call);
      assert.equal(refused.response.statusCode, 403);
      assert.equal(refused.message, "permission denied");
    }
    const self = await client({ token }).tokenLookupSelf();
    assert.equal(self.data.id, token);
  });

  it("logs in with AppRole, refuses a wrong secret ID with 400, and lets the token expire", async () => {
    const login = await client().approleLogin({
      mount_point: "approle",
      role_id: "role-1",
      secret_id: "secret-1",
    });
    assert.equal(login.auth.lease_duration, 600);
    assert.equal(login.auth.renewable, true);
    const issued = login.auth.client_token as string;
    await client({ token: issued }).tokenLookupSelf();
    clock.advance(600_000);
    assert.equal((await failure(client({ token: issued }).tokenLookupSelf())).response.statusCode, 403);
    const wrong = await failure(
      client().approleLogin({ mount_point: "approle", role_id: "role-1", secret_id: "guess" }),
    );
    assert.equal(wrong.response.statusCode, 400);
    assert.equal(wrong.message, "invalid role or secret ID");
  });

  it("answers 503 Vault is sealed to everything while sealed, and 404 for an unknown path", async () => {
    vault.seal();
    try {
      const sealed = await failure(client({ token }).tokenLookupSelf());
      assert.equal(sealed.response.statusCode, 503);
      assert.deepEqual(sealed.response.body, { errors: ["Vault is sealed"] });
    } finally {
      vault.unseal();
    }
    assert.equal((await failure(client({ token }).read("secret/nothing"))).response.statusCode, 404);
  });
  it("writes KV v2 versions, refuses a stale or foreign cas with Vault's text, and forgets a deleted path", async () => {
    const kv = client({ token });
    const first = await kv.write("secret/data/app/web", { data: { "tls.crt": "one" }, options: { cas: 0 } });
    assert.equal(first.data.version, 1);
    const second = await kv.write("secret/data/app/web", { data: { "tls.crt": "two" }, options: { cas: 1 } });
    assert.equal(second.data.version, 2);
    const stale = await failure(kv.write("secret/data/app/web", { data: { x: "y" }, options: { cas: 1 } }));
    assert.equal(stale.response.statusCode, 400);
    assert.deepEqual(stale.response.body, {
      errors: ["check-and-set parameter did not match the current version"],
    });
    const read = await kv.read("secret/data/app/web");
    assert.deepEqual(read.data.data, { "tls.crt": "two" });
    assert.equal(read.data.metadata.version, 2);
    assert.equal(vault.kvSecret("app/web")?.version, 2);
    const unconditional = await kv.write("secret/data/app/web", { data: { "tls.crt": "three" } });
    assert.equal(unconditional.data.version, 3);

    await kv.delete("secret/metadata/app/web");
    const gone = await failure(kv.read("secret/data/app/web"));
    assert.equal(gone.response.statusCode, 404);
    assert.deepEqual(gone.response.body, { errors: [] });
    await kv.delete("secret/metadata/app/web");
    const again = await kv.write("secret/data/app/web", { data: { "tls.crt": "new" }, options: { cas: 0 } });
    assert.equal(again.data.version, 1);
    const empty = await failure(kv.write("secret/data/app/empty", {}));
    assert.equal(empty.message, "no data provided");
  });

  it("guards KV v2 with the token and namespace like every other route", async () => {
    for (const call of [
      client().read("secret/data/app/web"),
      client({ token, namespace: "team-b" }).write("secret/data/app/web", { data: { a: "b" } }),
      client({ token: "hvs.unknown" }).delete("secret/metadata/app/web"),
    ]) {
      const refused = await failure(call);
      assert.equal(refused.response.statusCode, 403);
      assert.equal(refused.message, "permission denied");
    }
  });

  it("has no PKI mount without a CA", async () => {
    const bare = await VaultStandIn.start({ now: () => clock.now() });
    try {
      const bareToken = bare.createToken();
      const missing = await failure(
        nodeVault({ endpoint: bare.url, token: bareToken }).write("pki/sign/web", { csr: "x" }),
      );
      assert.equal(missing.response.statusCode, 404);
      assert.equal(missing.message, 'no handler for route "pki/sign/web"');
    } finally {
      await bare.stop();
    }
  });
});

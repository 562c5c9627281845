import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createCsr, generatePrivateKey, parseCertificate } from "@certplane/pki";
import { FakeClock } from "@certplane/testing";
import nodeVault from "node-vault";
import { VaultStandIn } from "./vault-stand-in.ts";

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

describe("Vault stand-in, as node-vault sees it", () => {
  const clock = new FakeClock("2026-03-01T00:00:00Z");
  let vault: VaultStandIn;
  let token: string;
  const client = (options: { token?: string; namespace?: string } = {}) =>
    nodeVault({ endpoint: vault.url, token: options.token ?? "", namespace: options.namespace ?? "team-a" });
  const csr = async (commonName: string, dnsNames: string[]) =>
    await createCsr({ subject: { commonName }, dnsNames }, await generatePrivateKey({ algorithm: "ECDSA" }));

  before(async () => {
    vault = await VaultStandIn.start({ now: () => clock.now(), namespace: "team-a" });
    vault.writeRole("web", { allowed_domains: ["example.com"], allow_subdomains: true, max_ttl: "72h" });
    vault.writeAppRole("role-1", "secret-1", 600);
    token = vault.createToken();
  });
  after(async () => {
    await vault.stop();
  });

  it("signs a CSR for an allowed name with a real certificate from its CA, in Vault's envelope", async () => {
    const answer = await client({ token }).write("pki/sign/web", {
      csr: await csr("www.example.com", ["www.example.com"]),
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
    const certificate = parseCertificate(answer.data.certificate);
    assert.equal(certificate.issuer.dn, parseCertificate(vault.caPem).subject.dn);
    assert.equal(certificate.notAfter.getTime() - certificate.notBefore.getTime(), 24 * 3600_000);
    assert.deepEqual(answer.data.ca_chain, [answer.data.issuing_ca]);
    assert.match(answer.data.serial_number, /^[0-9a-f]{2}(:[0-9a-f]{2})+$/);
    assert.equal(answer.data.expiration, Math.floor(certificate.notAfter.getTime() / 1000));
  });

  it("caps a ttl above the role's max_ttl and says so in Vault's warning", async () => {
    const answer = await client({ token }).write("pki/sign/web", {
      csr: await csr("api.example.com", []),
      common_name: "api.example.com",
      ttl: "768h0m0s",
    });
    assert.deepEqual(answer.warnings, [
      'TTL "768h0m0s" is longer than permitted maxTTL "72h0m0s", so maxTTL is being used',
    ]);
    const certificate = parseCertificate(answer.data.certificate);
    assert.equal(certificate.notAfter.getTime() - certificate.notBefore.getTime(), 72 * 3600_000);
  });

  it("refuses a name outside allowed_domains and an unknown role with 400 and Vault's message", async () => {
    const outside = await failure(
      client({ token }).write("pki/sign/web", {
        csr: await csr("evil.test", []),
        common_name: "evil.test",
      }),
    );
    assert.equal(outside.response.statusCode, 400);
    assert.equal(outside.message, "common name evil.test not allowed by this role");
    assert.deepEqual(outside.response.body, { errors: ["common name evil.test not allowed by this role"] });
    const unknown = await failure(client({ token }).write("pki/sign/nope", { csr: "x" }));
    assert.equal(unknown.response.statusCode, 400);
    assert.equal(unknown.message, "unknown role: nope");
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
});

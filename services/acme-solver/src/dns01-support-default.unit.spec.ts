import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NotFoundError, ValidationError } from "@certplane/domain";
import { parseAcmeSolverConfig } from "./config.ts";
import { createDefaultDns01Support } from "./dns01-support-default.ts";
import { SolverHarness } from "./testing/acme-solver-harness.ts";

const rfc2136 = (key: string) => ({
  rfc2136: {
    nameserver: "127.0.0.1:5353",
    tsigKeyName: "acme-key",
    tsigAlgorithm: "HMACSHA256",
    tsigSecretSecretRef: { name: "tsig", key },
  },
});

function support(harness: SolverHarness, env: Record<string, string> = {}) {
  return createDefaultDns01Support({
    runner: harness.runner,
    kek: harness.kek,
    clock: harness.clock,
    config: SolverHarness.config(env),
  });
}

describe("the default DNS-01 support", () => {
  it("reads a TSIG secret from the sealed secret store of the issuer's namespace", async () => {
    const harness = new SolverHarness();
    await harness.writeUserSecret("tsig", { "tsig-secret": "c2VjcmV0" });
    const provider = await support(harness).providerFor(rfc2136("tsig-secret"), {
      secretNamespace: harness.namespace,
    });
    assert.equal(provider.name, "rfc2136");
  });

  it("names the missing secret or key, in the namespace it looked in", async () => {
    const harness = new SolverHarness();
    const dns01 = support(harness);
    await assert.rejects(
      dns01.providerFor(rfc2136("tsig-secret"), { secretNamespace: "cert-manager" }),
      (error) => error instanceof NotFoundError && /secret cert-manager\/tsig not found/.test(error.message),
    );
    await harness.writeUserSecret("tsig", { other: "x" });
    await assert.rejects(
      dns01.providerFor(rfc2136("tsig-secret"), { secretNamespace: harness.namespace }),
      (error) => error instanceof NotFoundError && /has no key "tsig-secret"/.test(error.message),
    );
  });

  it("finds webhook endpoints in CERTPLANE_ACME_DNS01_WEBHOOKS and rejects an unmapped solver", async () => {
    const harness = new SolverHarness();
    const dns01 = support(harness, {
      CERTPLANE_ACME_DNS01_WEBHOOKS: JSON.stringify({ "acme.example.com/bunny": "http://127.0.0.1:9/dns" }),
    });
    const webhook = (solverName: string) => ({ webhook: { groupName: "acme.example.com", solverName } });
    const provider = await dns01.providerFor(webhook("bunny"), { secretNamespace: "apps" });
    assert.equal(provider.name, "webhook");
    await assert.rejects(
      dns01.providerFor(webhook("other"), { secretNamespace: "apps" }),
      (error) => error instanceof ValidationError && /acme\.example\.com\/other/.test(error.message),
    );
  });

  it("rejects a malformed webhook map and defaults each DNS provider to its real API", () => {
    for (const raw of ["{", "[]", '{"no-slash":"http://x"}', '{"a/b":"not a url"}']) {
      assert.throws(
        () => parseAcmeSolverConfig({ CERTPLANE_ACME_DNS01_WEBHOOKS: raw }),
        (error) =>
          error instanceof ValidationError && error.issues[0]?.field === "CERTPLANE_ACME_DNS01_WEBHOOKS",
        raw,
      );
    }
    assert.deepEqual(parseAcmeSolverConfig({}).dns01ProviderApis, {
      cloudflare: "https://api.cloudflare.com/client/v4",
      digitalocean: "https://api.digitalocean.com",
      azureManagement: "https://management.azure.com",
      azureLogin: "https://login.microsoftonline.com",
      googleDns: "https://dns.googleapis.com",
      googleToken: "https://oauth2.googleapis.com/token",
    });
    assert.throws(
      () => parseAcmeSolverConfig({ CERTPLANE_ACME_AZURE_LOGIN_URL: "not a url" }),
      (error) =>
        error instanceof ValidationError && error.issues[0]?.field === "CERTPLANE_ACME_AZURE_LOGIN_URL",
    );
  });
});

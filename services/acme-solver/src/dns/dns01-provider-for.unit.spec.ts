import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { CloudflareProvider } from "./cloudflare-provider.ts";
import { dns01ProviderFor } from "./dns01-provider-for.ts";
import { Rfc2136Provider } from "./rfc2136-provider.ts";
import { WebhookProvider } from "./webhook-provider.ts";

const reads: string[] = [];
const deps = {
  readSecret: async (name: string, key: string) => {
    reads.push(`${name}/${key}`);
    return "c2VjcmV0\n";
  },
  webhookUrl: (group: string, solver: string) =>
    group === "acme.example" ? `http://hooks/${solver}` : undefined,
};

const rejectsWith = (field: string, pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof ValidationError);
  assert.equal(error.field, field);
  assert.match(error.message, pattern);
  return true;
};

describe("dns01ProviderFor", () => {
  it("builds an RFC 2136 provider, reading the TSIG secret", async () => {
    const provider = await dns01ProviderFor(
      {
        rfc2136: {
          nameserver: "127.0.0.1:5353",
          tsigKeyName: "acme-key",
          tsigAlgorithm: "HMACSHA256",
          tsigSecretSecretRef: { name: "tsig", key: "secret" },
        },
      },
      deps,
    );
    assert.ok(provider instanceof Rfc2136Provider);
    assert.ok(reads.includes("tsig/secret"));
  });

  it("rejects an unknown TSIG algorithm and a malformed nameserver", async () => {
    await assert.rejects(
      dns01ProviderFor({ rfc2136: { nameserver: "ns1", tsigAlgorithm: "hmac-sha384" } }, deps),
      rejectsWith("dns01.rfc2136.tsigAlgorithm", /not one of HMACMD5/),
    );
    await assert.rejects(
      dns01ProviderFor({ rfc2136: { nameserver: "ns1:99999" } }, deps),
      rejectsWith("dns01.rfc2136.nameserver", /host\[:port\]/),
    );
  });

  it("builds a Cloudflare provider from a token or from email and key, never both", async () => {
    const token = await dns01ProviderFor(
      { cloudflare: { apiTokenSecretRef: { name: "cf", key: "token" } } },
      deps,
    );
    assert.ok(token instanceof CloudflareProvider);
    await assert.rejects(
      dns01ProviderFor({ cloudflare: { apiKeySecretRef: { name: "cf", key: "key" } } }, deps),
      rejectsWith("dns01.cloudflare.email", /email is required/),
    );
    await assert.rejects(
      dns01ProviderFor(
        {
          cloudflare: {
            apiKeySecretRef: { name: "a", key: "k" },
            apiTokenSecretRef: { name: "b", key: "t" },
          },
        },
        deps,
      ),
      rejectsWith("dns01.cloudflare", /may not both be set/),
    );
  });

  it("builds a webhook provider from the configured endpoint, and names a missing one", async () => {
    const provider = await dns01ProviderFor(
      { webhook: { groupName: "acme.example", solverName: "mydns" } },
      deps,
    );
    assert.ok(provider instanceof WebhookProvider);
    await assert.rejects(
      dns01ProviderFor({ webhook: { groupName: "other.example", solverName: "x" } }, deps),
      rejectsWith("dns01.webhook", /no endpoint is configured for webhook other.example\/x/),
    );
  });

  it("says which providers are not supported yet", async () => {
    await assert.rejects(
      dns01ProviderFor({ route53: {} }, deps),
      rejectsWith("dns01.route53", /not supported yet/),
    );
  });

  it("rejects no provider and more than one", async () => {
    await assert.rejects(dns01ProviderFor({}, deps), rejectsWith("dns01", /no DNS01 provider/));
    await assert.rejects(
      dns01ProviderFor({ route53: {}, rfc2136: { nameserver: "ns1" } }, deps),
      rejectsWith("dns01", /more than one provider type \(route53, rfc2136\)/),
    );
  });
});

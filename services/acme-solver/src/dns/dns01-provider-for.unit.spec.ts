import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { AcmeDnsProvider } from "./acme-dns-provider.ts";
import { AzureDnsProvider } from "./azure-dns-provider.ts";
import { CloudflareProvider } from "./cloudflare-provider.ts";
import { DigitalOceanProvider } from "./digitalocean-provider.ts";
import { dns01ProviderFor } from "./dns01-provider-for.ts";
import { GoogleCloudDnsProvider } from "./google-cloud-dns-provider.ts";
import { Rfc2136Provider } from "./rfc2136-provider.ts";
import { Route53Provider } from "./route53/route53-provider.ts";
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

  it("builds a Route 53 provider from keys in Secrets, or from ambient credentials for a ClusterIssuer", async () => {
    const keys = await dns01ProviderFor(
      {
        route53: {
          region: "eu-west-1",
          accessKeyIDSecretRef: { name: "aws", key: "id" },
          secretAccessKeySecretRef: { name: "aws", key: "secret" },
        },
      },
      deps,
    );
    assert.ok(keys instanceof Route53Provider);
    assert.ok(reads.includes("aws/id") && reads.includes("aws/secret"));
    const ambient = await dns01ProviderFor(
      { route53: { hostedZoneID: "Z1", role: "arn:aws:iam::1:role/r" } },
      { ...deps, ambientCredentials: true },
    );
    assert.ok(ambient instanceof Route53Provider);
  });

  it("applies cert-manager's Route 53 credential rules", async () => {
    await assert.rejects(
      dns01ProviderFor({ route53: { region: "us-east-1" } }, deps),
      rejectsWith("dns01.route53", /empty credentials: an Issuer may not use .* ambient/),
    );
    await assert.rejects(
      dns01ProviderFor({ route53: { accessKeyID: "AKIA1" } }, { ...deps, ambientCredentials: true }),
      rejectsWith("dns01.route53", /only one of access and secret key was provided/),
    );
    await assert.rejects(
      dns01ProviderFor(
        { route53: { accessKeyID: "AKIA1", accessKeyIDSecretRef: { name: "aws", key: "id" } } },
        deps,
      ),
      rejectsWith("dns01.route53", /cannot both be specified/),
    );
    await assert.rejects(
      dns01ProviderFor(
        { route53: { auth: { kubernetes: { serviceAccountRef: { name: "dns" } } } } },
        { ...deps, ambientCredentials: true },
      ),
      rejectsWith("dns01.route53.auth.kubernetes", /not supported yet/),
    );
  });

  it("builds an acme-dns provider from the accounts JSON in its Secret, and checks host and JSON", async () => {
    const accounts = JSON.stringify({ "example.test": { username: "u", password: "p", subdomain: "s" } });
    const withAccounts = { ...deps, readSecret: async () => accounts };
    const acmeDNS = {
      host: "https://auth.example.test",
      accountSecretRef: { name: "acme-dns", key: "acmedns.json" },
    };
    assert.ok((await dns01ProviderFor({ acmeDNS }, withAccounts)) instanceof AcmeDnsProvider);
    await assert.rejects(
      dns01ProviderFor({ acmeDNS: { ...acmeDNS, host: "auth.example.test" } }, withAccounts),
      rejectsWith("dns01.acmeDNS.host", /not an http\(s\) URL/),
    );
    await assert.rejects(
      dns01ProviderFor({ acmeDNS }, deps),
      rejectsWith("dns01.acmeDNS.accountSecretRef", /accounts JSON does not parse/),
    );
  });

  it("builds a DigitalOcean provider from the token in its Secret", async () => {
    const provider = await dns01ProviderFor(
      { digitalocean: { tokenSecretRef: { name: "do", key: "token" } } },
      deps,
    );
    assert.ok(provider instanceof DigitalOceanProvider);
    assert.ok(reads.includes("do/token"));
  });

  it("builds an Azure DNS provider from a service principal, and names what it does not serve", async () => {
    const principal = { clientID: "c", tenantID: "t", clientSecretSecretRef: { name: "az", key: "secret" } };
    const azureDNS = { subscriptionID: "s", resourceGroupName: "rg", ...principal };
    assert.ok((await dns01ProviderFor({ azureDNS }, deps)) instanceof AzureDnsProvider);
    assert.ok(reads.includes("az/secret"));
    await assert.rejects(
      dns01ProviderFor({ azureDNS: { ...azureDNS, environment: "AzureChinaCloud" } }, deps),
      rejectsWith(
        "dns01.azureDNS.environment",
        /AzureChinaCloud environment is not supported .* AzurePublicCloud/,
      ),
    );
    await assert.rejects(
      dns01ProviderFor({ azureDNS: { ...azureDNS, zoneType: "AzurePrivateZone" } }, deps),
      rejectsWith("dns01.azureDNS.zoneType", /private DNS zones are not supported/),
    );
    await assert.rejects(
      dns01ProviderFor(
        { azureDNS: { subscriptionID: "s", resourceGroupName: "rg", managedIdentity: {} } },
        deps,
      ),
      rejectsWith("dns01.azureDNS", /managed identity .* set clientID, tenantID and clientSecretSecretRef/),
    );
  });

  it("builds a Cloud DNS provider from a service account key file, and refuses ambient credentials", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const keyFile = JSON.stringify({
      type: "service_account",
      client_email: "dns@p.iam.gserviceaccount.com",
      private_key_id: "k1",
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }),
    });
    const cloudDNS = { project: "p", serviceAccountSecretRef: { name: "gcp", key: "key.json" } };
    const withKey = { ...deps, readSecret: async () => keyFile };
    assert.ok((await dns01ProviderFor({ cloudDNS }, withKey)) instanceof GoogleCloudDnsProvider);
    await assert.rejects(
      dns01ProviderFor({ cloudDNS }, deps),
      rejectsWith(
        "dns01.cloudDNS.serviceAccountSecretRef",
        /not JSON; it must hold a service account key file/,
      ),
    );
    await assert.rejects(
      dns01ProviderFor({ cloudDNS: { project: "p" } }, deps),
      rejectsWith("dns01.cloudDNS.serviceAccountSecretRef", /ambient Google credentials .* not supported/),
    );
  });

  it("says which providers are not supported yet", async () => {
    await assert.rejects(
      dns01ProviderFor(
        {
          akamai: {
            serviceConsumerDomain: "akamai.example",
            clientTokenSecretRef: { name: "a", key: "t" },
            clientSecretSecretRef: { name: "a", key: "s" },
            accessTokenSecretRef: { name: "a", key: "a" },
          },
        },
        deps,
      ),
      rejectsWith(
        "dns01.akamai",
        /not supported yet; certplane implements acmeDNS, azureDNS, cloudDNS, cloudflare, digitalocean, rfc2136, route53, webhook/,
      ),
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

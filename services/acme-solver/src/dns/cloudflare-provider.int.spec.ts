import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ForbiddenError, NotFoundError } from "@certplane/domain";
import { type Bind9Handle, startBind9 } from "@certplane/testing";
import { type CloudflareStandIn, startCloudflareStandIn } from "../testing/cloudflare-stand-in.ts";
import { CloudflareProvider } from "./cloudflare-provider.ts";
import { Rfc2136Provider } from "./rfc2136-provider.ts";

describe("Cloudflare DNS-01 provider against the stand-in", () => {
  let bind: Bind9Handle;
  let cloudflare: CloudflareStandIn;
  before(async () => {
    bind = await startBind9({ zones: ["example.test"] });
    cloudflare = await startCloudflareStandIn({
      zones: ["example.test"],
      apiTokens: ["token-1"],
      apiKeys: [{ email: "ops@example.test", apiKey: "key-1" }],
      mirror: new Rfc2136Provider({ nameserver: bind.address, tsig: bind.tsig }),
    });
  });
  after(async () => {
    await cloudflare.close();
    await bind.dispose();
  });

  const withToken = (apiToken: string) =>
    new CloudflareProvider({ baseUrl: cloudflare.baseUrl, auth: { kind: "token", apiToken } });

  it("finds the zone by walking up the labels, creates the record once and publishes it", async () => {
    const provider = withToken("token-1");
    const record = { fqdn: "_acme-challenge.deep.www.example.test.", value: "v1" };
    await provider.present(record);
    await provider.present(record);
    const stored = cloudflare.records().filter((r) => r.content === "v1");
    assert.deepEqual(
      stored.map(({ type, name, ttl, zone_name }) => ({ type, name, ttl, zone_name })),
      [{ type: "TXT", name: "_acme-challenge.deep.www.example.test", ttl: 120, zone_name: "example.test" }],
    );
    assert.deepEqual(await bind.dig(record.fqdn, "TXT"), ["v1"]);
  });

  it("authenticates with email and global API key, and cleans up only its value, twice without error", async () => {
    const provider = new CloudflareProvider({
      baseUrl: cloudflare.baseUrl,
      auth: { kind: "key", email: "ops@example.test", apiKey: "key-1" },
    });
    const fqdn = "_acme-challenge.example.test.";
    await provider.present({ fqdn, zone: "example.test.", value: "apex" });
    await provider.present({ fqdn, zone: "example.test.", value: "wildcard" });
    await provider.cleanUp({ fqdn, value: "apex" });
    await provider.cleanUp({ fqdn, value: "apex" });
    const left = cloudflare.records().filter((r) => r.name === "_acme-challenge.example.test");
    assert.deepEqual(
      left.map((r) => r.content),
      ["wildcard"],
    );
    assert.deepEqual(await bind.dig(fqdn, "TXT"), ["wildcard"]);
  });

  it("reports a bad token as forbidden, with Cloudflare's error code and without the token", async () => {
    await assert.rejects(
      withToken("stolen-token").present({ fqdn: "_acme-challenge.example.test.", value: "x" }),
      (error: unknown) => {
        assert.ok(error instanceof ForbiddenError);
        assert.match(error.message, /HTTP 403: 10000 Authentication error/);
        assert.doesNotMatch(error.message, /stolen-token/);
        return true;
      },
    );
  });

  it("reports a name outside every zone as not found", async () => {
    await assert.rejects(
      withToken("token-1").present({ fqdn: "_acme-challenge.elsewhere.test.", value: "x" }),
      NotFoundError,
    );
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ForbiddenError, NotFoundError } from "@certplane/domain";
import {
  type Bind9Handle,
  type DigitalOceanStandIn,
  startBind9,
  startDigitalOceanStandIn,
} from "@certplane/testing";
import { DigitalOceanProvider } from "./digitalocean-provider.ts";
import { Rfc2136Provider } from "./rfc2136-provider.ts";

describe("DigitalOcean DNS-01 provider against the stand-in", () => {
  let bind: Bind9Handle;
  let digitalocean: DigitalOceanStandIn;
  before(async () => {
    bind = await startBind9({ zones: ["example.test"] });
    digitalocean = await startDigitalOceanStandIn({
      domains: ["example.test"],
      tokens: ["do-token-1"],
      mirror: new Rfc2136Provider({ nameserver: bind.address, tsig: bind.tsig }),
    });
  });
  after(async () => {
    await digitalocean?.close();
    await bind?.dispose();
  });

  const provider = (token = "do-token-1") =>
    new DigitalOceanProvider({ baseUrl: digitalocean.baseUrl, token });

  it("finds the domain by walking up the labels, creates the record once with TTL 60 and publishes it", async () => {
    const record = { fqdn: "_acme-challenge.deep.www.example.test.", value: "v1" };
    await provider().present(record);
    await provider().present(record);
    assert.deepEqual(
      digitalocean.records().map(({ domain, type, name, data, ttl }) => ({ domain, type, name, data, ttl })),
      [{ domain: "example.test", type: "TXT", name: "_acme-challenge.deep.www", data: "v1", ttl: 60 }],
    );
    assert.deepEqual(await bind.dig(record.fqdn, "TXT"), ["v1"]);
  });

  it("keeps the wildcard's and apex's values side by side and deletes only its own, twice without error", async () => {
    const fqdn = "_acme-challenge.example.test.";
    await provider().present({ fqdn, value: "apex" });
    await provider().present({ fqdn, value: "wildcard" });
    await provider().cleanUp({ fqdn, value: "apex" });
    await provider().cleanUp({ fqdn, value: "apex" });
    assert.deepEqual(
      digitalocean
        .records()
        .filter((r) => r.name === "_acme-challenge")
        .map((r) => r.data),
      ["wildcard"],
    );
    assert.deepEqual(await bind.dig(fqdn, "TXT"), ["wildcard"]);
  });

  it("reports a bad token as forbidden, with DigitalOcean's error id and without the token", async () => {
    await assert.rejects(
      provider("stolen-token").present({ fqdn: "_acme-challenge.example.test.", value: "x" }),
      (error) => {
        assert.ok(error instanceof ForbiddenError);
        assert.match(error.message, /HTTP 401: Unauthorized Unable to authenticate you/);
        assert.doesNotMatch(error.message, /stolen-token/);
        return true;
      },
    );
  });

  it("reports a name outside every domain of the account as not found", async () => {
    await assert.rejects(
      provider().present({ fqdn: "_acme-challenge.elsewhere.test.", value: "x" }),
      NotFoundError,
    );
  });
});

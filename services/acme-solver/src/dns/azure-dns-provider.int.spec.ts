import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ForbiddenError, NotFoundError } from "@certplane/domain";
import { type AzureDnsStandIn, type Bind9Handle, startAzureDnsStandIn, startBind9 } from "@certplane/testing";
import { AzureDnsProvider } from "./azure-dns-provider.ts";
import { azureServicePrincipalToken } from "./azure-dns-token.ts";
import { Rfc2136Provider } from "./rfc2136-provider.ts";

describe("Azure DNS DNS-01 provider against the stand-in", () => {
  let bind: Bind9Handle;
  let azure: AzureDnsStandIn;
  before(async () => {
    bind = await startBind9({ zones: ["example.test", "team.example.test"] });
    azure = await startAzureDnsStandIn({
      tenantId: "tenant-1",
      clients: { "client-1": "client-secret-1" },
      subscriptionId: "sub-1",
      resourceGroupName: "dns-rg",
      zones: ["example.test", "team.example.test"],
      mirror: new Rfc2136Provider({ nameserver: bind.address, tsig: bind.tsig }),
    });
  });
  after(async () => {
    await azure?.close();
    await bind?.dispose();
  });

  const provider = (secret = "client-secret-1", hostedZoneName?: string) =>
    new AzureDnsProvider({
      subscriptionId: "sub-1",
      resourceGroupName: "dns-rg",
      ...(hostedZoneName ? { hostedZoneName } : {}),
      managementUrl: azure.baseUrl,
      token: azureServicePrincipalToken(
        { tenantId: "tenant-1", clientId: "client-1", clientSecret: secret },
        { loginUrl: azure.baseUrl },
      ),
    });

  it("takes the longest zone the resource group has, writes one record set with TTL 60 and publishes it", async () => {
    const record = { fqdn: "_acme-challenge.www.team.example.test.", value: "v1" };
    await provider().present(record);
    await provider().present(record);
    assert.deepEqual(azure.recordSets(), [
      { zone: "team.example.test", name: "_acme-challenge.www", ttl: 60, values: ["v1"] },
    ]);
    assert.deepEqual(await bind.dig(record.fqdn, "TXT"), ["v1"]);
    await provider().cleanUp(record);
    assert.deepEqual(azure.recordSets(), []);
    assert.deepEqual(await bind.dig(record.fqdn, "TXT"), []);
  });

  it("merges the wildcard's and apex's values into one set, removes only its own, twice without error", async () => {
    const fqdn = "_acme-challenge.example.test.";
    await provider().present({ fqdn, value: "apex" });
    await provider().present({ fqdn, value: "wildcard" });
    assert.deepEqual(
      azure.recordSets().map((s) => s.values),
      [["apex", "wildcard"]],
    );
    await provider().cleanUp({ fqdn, value: "apex" });
    await provider().cleanUp({ fqdn, value: "apex" });
    assert.deepEqual(azure.recordSets(), [
      { zone: "example.test", name: "_acme-challenge", ttl: 60, values: ["wildcard"] },
    ]);
    assert.deepEqual(await bind.dig(fqdn, "TXT"), ["wildcard"]);
    await provider().cleanUp({ fqdn, value: "wildcard" });
    assert.deepEqual(azure.recordSets(), []);
  });

  it("writes into hostedZoneName when it is set, even under a longer zone", async () => {
    const record = { fqdn: "_acme-challenge.team.example.test.", value: "in-parent" };
    await provider("client-secret-1", "example.test").present(record);
    assert.deepEqual(azure.recordSets(), [
      { zone: "example.test", name: "_acme-challenge.team", ttl: 60, values: ["in-parent"] },
    ]);
    await provider("client-secret-1", "example.test").cleanUp(record);
    assert.deepEqual(azure.recordSets(), []);
  });

  it("reports a wrong client secret as forbidden, with Azure AD's error and without the secret", async () => {
    await assert.rejects(
      provider("stolen-secret").present({ fqdn: "_acme-challenge.example.test.", value: "x" }),
      (error) => {
        assert.ok(error instanceof ForbiddenError);
        assert.match(error.message, /HTTP 401 invalid_client: AADSTS7000215/);
        assert.match(error.message, /clientSecretSecretRef/);
        assert.doesNotMatch(error.message, /stolen-secret/);
        return true;
      },
    );
  });

  it("reports a name outside every zone of the resource group as not found", async () => {
    await assert.rejects(
      provider().present({ fqdn: "_acme-challenge.elsewhere.test.", value: "x" }),
      NotFoundError,
    );
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ForbiddenError, NotFoundError } from "@certplane/domain";
import {
  type Bind9Handle,
  type GoogleCloudDnsStandIn,
  startBind9,
  startGoogleCloudDnsStandIn,
} from "@certplane/testing";
import { GoogleCloudDnsProvider } from "./google-cloud-dns-provider.ts";
import { googleServiceAccountToken, parseServiceAccountKey } from "./google-service-account.ts";
import { Rfc2136Provider } from "./rfc2136-provider.ts";

const account = "cert-manager@project-1.iam.gserviceaccount.com";

describe("Google Cloud DNS DNS-01 provider against the stand-in", () => {
  let bind: Bind9Handle;
  let google: GoogleCloudDnsStandIn;
  let impostor: GoogleCloudDnsStandIn;
  before(async () => {
    bind = await startBind9({ zones: ["example.test", "team.example.test"] });
    google = await startGoogleCloudDnsStandIn({
      project: "project-1",
      zones: [
        { name: "example-test", dnsName: "example.test." },
        { name: "team-private", dnsName: "team.example.test.", visibility: "private" },
        { name: "team-public", dnsName: "team.example.test." },
      ],
      serviceAccounts: [account],
      mirror: new Rfc2136Provider({ nameserver: bind.address, tsig: bind.tsig }),
    });
    // Another stand-in's key for the same account: a key Google does not know.
    impostor = await startGoogleCloudDnsStandIn({
      project: "project-1",
      zones: [],
      serviceAccounts: [account],
    });
  });
  after(async () => {
    await google?.close();
    await impostor?.close();
    await bind?.dispose();
  });

  const provider = (keyFile = google.keyFile(account), hostedZoneName?: string) =>
    new GoogleCloudDnsProvider({
      project: "project-1",
      ...(hostedZoneName ? { hostedZoneName } : {}),
      baseUrl: google.baseUrl,
      pollIntervalMs: 0,
      token: googleServiceAccountToken(parseServiceAccountKey(keyFile, "serviceAccountSecretRef"), {
        tokenUrl: google.tokenUrl,
      }),
    });

  it("takes the longest public zone, adds a quoted TXT with TTL 60, waits for the change and publishes it", async () => {
    const record = { fqdn: "_acme-challenge.www.team.example.test.", value: "v1" };
    await provider().present(record);
    await provider().present(record);
    assert.deepEqual(google.rrsets(), [
      { zone: "team-public", name: record.fqdn, ttl: 60, rrdatas: ['"v1"'] },
    ]);
    // The one change was pending when made, and asked for once, when it was done.
    assert.deepEqual(google.changePolls(), { "1": 1 });
    assert.deepEqual(await bind.dig(record.fqdn, "TXT"), ["v1"]);
    await provider().cleanUp(record);
    assert.deepEqual(google.rrsets(), []);
    assert.deepEqual(await bind.dig(record.fqdn, "TXT"), []);
  });

  it("replaces the rrset to hold the wildcard's and apex's values, removes only its own, twice without error", async () => {
    const fqdn = "_acme-challenge.example.test.";
    await provider().present({ fqdn, value: "apex" });
    await provider().present({ fqdn, value: "wildcard" });
    assert.deepEqual(
      google.rrsets().map((r) => r.rrdatas),
      [['"apex"', '"wildcard"']],
    );
    await provider().cleanUp({ fqdn, value: "apex" });
    await provider().cleanUp({ fqdn, value: "apex" });
    assert.deepEqual(google.rrsets(), [
      { zone: "example-test", name: fqdn, ttl: 60, rrdatas: ['"wildcard"'] },
    ]);
    assert.deepEqual(await bind.dig(fqdn, "TXT"), ["wildcard"]);
    await provider().cleanUp({ fqdn, value: "wildcard" });
    assert.deepEqual(google.rrsets(), []);
  });

  it("writes into the managed zone hostedZoneName names", async () => {
    const record = { fqdn: "_acme-challenge.team.example.test.", value: "in-parent" };
    await provider(undefined, "example-test").present(record);
    assert.deepEqual(
      google.rrsets().map((r) => r.zone),
      ["example-test"],
    );
    await provider(undefined, "example-test").cleanUp(record);
    assert.deepEqual(google.rrsets(), []);
  });

  it("reports a key Google does not know as forbidden, with the token endpoint's error and no key material", async () => {
    await assert.rejects(
      provider(impostor.keyFile(account)).present({ fqdn: "_acme-challenge.example.test.", value: "x" }),
      (error) => {
        assert.ok(error instanceof ForbiddenError);
        assert.match(error.message, /HTTP 400 invalid_grant: Invalid JWT Signature/);
        assert.match(error.message, /serviceAccountSecretRef/);
        assert.doesNotMatch(error.message, /PRIVATE KEY|eyJ/);
        return true;
      },
    );
  });

  it("reports a name outside every public zone of the project as not found", async () => {
    await assert.rejects(
      provider().present({ fqdn: "_acme-challenge.elsewhere.test.", value: "x" }),
      NotFoundError,
    );
  });
});

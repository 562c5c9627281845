import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { ForbiddenError, ValidationError } from "@certplane/domain";
import {
  type AcmeDnsRegistration,
  type AcmeDnsStandIn,
  type Bind9Handle,
  startAcmeDnsStandIn,
  startBind9,
} from "@certplane/testing";
import { AcmeDnsProvider, parseAcmeDnsAccounts } from "./acme-dns-provider.ts";
import { Rfc2136Provider } from "./rfc2136-provider.ts";

/** A DNS-01 value: base64url(SHA-256(…)), 43 characters. */
const value = (seed: string) => createHash("sha256").update(seed).digest("base64url");

describe("acme-dns DNS-01 provider against the stand-in", () => {
  let bind: Bind9Handle;
  let acmeDns: AcmeDnsStandIn;
  let account: AcmeDnsRegistration;
  before(async () => {
    bind = await startBind9({ zones: ["auth.example.test"] });
    acmeDns = await startAcmeDnsStandIn({
      domain: "auth.example.test",
      mirror: new Rfc2136Provider({ nameserver: bind.address, tsig: bind.tsig }),
    });
    // As a user does once, with curl or goacmedns, before creating the CNAME.
    account = (await (
      await fetch(`${acmeDns.baseUrl}/register`, { method: "POST" })
    ).json()) as AcmeDnsRegistration;
  });
  after(async () => {
    await acmeDns?.close();
    await bind?.dispose();
  });

  const provider = (accounts: Record<string, Omit<AcmeDnsRegistration, "allowfrom">>) =>
    new AcmeDnsProvider({ host: acmeDns.baseUrl, accounts });

  it("updates the account's subdomain for the wildcard and the apex, keeping the two newest values", async () => {
    const solver = provider({ "example.test": account });
    const fqdn = "_acme-challenge.example.test.";
    await solver.present({ fqdn, value: value("apex") });
    await solver.present({ fqdn, value: value("wildcard") });
    assert.deepEqual(acmeDns.txt(account.subdomain), [value("apex"), value("wildcard")]);
    assert.deepEqual(
      (await bind.dig(account.fulldomain, "TXT")).sort(),
      [value("apex"), value("wildcard")].sort(),
    );
    await solver.present({ fqdn, value: value("next") });
    assert.deepEqual(acmeDns.txt(account.subdomain), [value("wildcard"), value("next")]);
    await solver.cleanUp();
    assert.deepEqual(acmeDns.txt(account.subdomain), [value("wildcard"), value("next")]);
  });

  it("reports a wrong password as forbidden without echoing it", async () => {
    const solver = provider({ "example.test": { ...account, password: "stolen-password" } });
    await assert.rejects(
      solver.present({ fqdn: "_acme-challenge.example.test.", value: value("x") }),
      (error) => {
        assert.ok(error instanceof ForbiddenError);
        assert.match(error.message, /answered 401: \{"error":"forbidden"\}/);
        assert.doesNotMatch(error.message, /stolen-password/);
        return true;
      },
    );
  });

  it("names the accounts JSON when it has no account for the domain, and refuses a malformed value", async () => {
    await assert.rejects(
      provider({ "other.test": account }).present({
        fqdn: "_acme-challenge.example.test.",
        value: value("x"),
      }),
      (error) =>
        error instanceof ValidationError &&
        error.field === "dns01.acmeDNS.accountSecretRef" &&
        /not found for domain example\.test.*other\.test/.test(error.message),
    );
    await assert.rejects(
      provider({ "example.test": account }).present({
        fqdn: "_acme-challenge.example.test.",
        value: "short",
      }),
      (error) => error instanceof ValidationError && /bad_txt/.test(error.message),
    );
  });

  it("reads cert-manager's accounts JSON with Go's case-insensitive keys, and names what is wrong", () => {
    const accounts = parseAcmeDnsAccounts(
      JSON.stringify({
        "Example.Test": { UserName: "u", Password: "p", SubDomain: "s", FullDomain: "s.auth" },
      }),
      "f",
    );
    assert.deepEqual(accounts, {
      "example.test": { username: "u", password: "p", subdomain: "s", fulldomain: "s.auth" },
    });
    for (const json of ["{", "[]", '{"example.test": {"username": "u"}}']) {
      assert.throws(
        () => parseAcmeDnsAccounts(json, "f"),
        (error) => error instanceof ValidationError && error.field === "f",
      );
    }
  });
});

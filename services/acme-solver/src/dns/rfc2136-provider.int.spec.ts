import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Bind9Handle, startBind9 } from "@certplane/testing";
import { AuthoritativePropagationChecker } from "./propagation-check.ts";
import { Rfc2136Provider } from "./rfc2136-provider.ts";

describe("RFC 2136 provider and propagation check against bind9", () => {
  let bind: Bind9Handle;
  before(async () => {
    bind = await startBind9({ zones: ["example.test", "other.test"] });
  });
  after(async () => await bind.dispose());

  const authoritative = () =>
    // The walk runs for real: SOA of the zone, its NS ns1.example.test., that name's A 127.0.0.1, then TXT there.
    new AuthoritativePropagationChecker({
      recursiveNameservers: [bind.address],
      authoritativePort: bind.port,
    });

  it("presents two values at one name, finding the zone by SOA, and cleans up exactly one", async () => {
    const provider = new Rfc2136Provider({ nameserver: bind.address, tsig: bind.tsig });
    const checker = authoritative();
    const fqdn = "_acme-challenge.www.example.test.";
    assert.equal(await checker.isPropagated(fqdn, "apex-value"), false);
    await provider.present({ fqdn, value: "apex-value" });
    await provider.present({ fqdn, value: "wildcard-value" });
    assert.equal(await checker.isPropagated(fqdn, "apex-value"), true);
    assert.equal(await checker.isPropagated(fqdn, "wildcard-value"), true);
    await provider.cleanUp({ fqdn, value: "apex-value" });
    assert.equal(await checker.isPropagated(fqdn, "apex-value"), false);
    assert.deepEqual(await bind.dig(fqdn, "TXT"), ["wildcard-value"]);
  });

  it("cleans up a value that is not there without error", async () => {
    const provider = new Rfc2136Provider({ nameserver: bind.address, tsig: bind.tsig, protocol: "TCP" });
    await provider.cleanUp({
      fqdn: "_acme-challenge.other.test.",
      zone: "other.test.",
      value: "never-added",
    });
  });

  it("asks only the per-solver nameservers when they are given", async () => {
    const provider = new Rfc2136Provider({ nameserver: bind.address, tsig: bind.tsig });
    await provider.present({ fqdn: "_acme-challenge.other.test.", zone: "other.test.", value: "direct" });
    const checker = new AuthoritativePropagationChecker({ nameservers: [bind.address] });
    assert.equal(await checker.isPropagated("_acme-challenge.other.test.", "direct"), true);
    assert.equal(await checker.isPropagated("_acme-challenge.other.test.", "missing"), false);
  });
});

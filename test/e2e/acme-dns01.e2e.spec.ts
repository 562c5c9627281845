// DNS-01 for a wildcard plus its apex through a real bind9 taking TSIG-signed RFC 2136 updates, with
// pebble's VA reading the TXT records from that bind9, in the embedded control plane.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Bind9Handle, type PebbleHandle, startBind9, startPebble } from "@certplane/testing";
import { acmeClusterIssuerYaml, dns01TestEnv, withManifest } from "./support/acme-fixtures.ts";
import { certctl } from "./support/certctl.ts";
import type { TestEmbeddedPlane } from "./support/embedded-plane.ts";
import { startTestEmbeddedPlane } from "./support/embedded-plane.ts";
import { eventually } from "./support/service-process.ts";
import { issueWildcardFromPebble } from "./support/wildcard-issuance.ts";

describe("ACME DNS-01 through bind9 with TSIG, against pebble", () => {
  let embedded: TestEmbeddedPlane;
  let bind: Bind9Handle;
  let pebble: PebbleHandle;
  let server: string;

  before(async () => {
    bind = await startBind9({ zones: ["example.test"] });
    pebble = await startPebble({ dnsServer: bind.address });
    embedded = await startTestEmbeddedPlane("certplane-acme-dns01-", () => dns01TestEnv());
    ({ server } = embedded);
  });

  after(async () => {
    await embedded?.dispose();
    await pebble?.dispose();
    await bind?.dispose();
  });

  test("a wildcard and its apex are issued, verify against pebble's root, and the TXT records are removed", async () => {
    // The TSIG secret goes in as a user would put it: an Opaque Secret manifest over gRPC; intake
    // seals every value on arrival.
    const tsigSecret = [
      "apiVersion: v1",
      "kind: Secret",
      "metadata: { name: tsig, namespace: cert-manager }",
      "type: Opaque",
      `stringData: { tsig-secret: "${bind.tsig.secret}" }`,
    ].join("\n");
    const imported = await withManifest(tsigSecret, (file) => certctl(server, "apply", "-f", file));
    assert.equal(imported.code, 0, imported.stderr);
    const solvers = [
      "      - dns01:",
      `          nameservers: ["${bind.address}"]`,
      "          rfc2136:",
      `            nameserver: "${bind.address}"`,
      `            tsigKeyName: ${bind.tsig.name}`,
      "            tsigAlgorithm: HMACSHA256",
      "            tsigSecretSecretRef: { name: tsig, key: tsig-secret }",
    ].join("\n");
    const issuer = acmeClusterIssuerYaml("pebble-dns", pebble.directoryUrl, pebble.caPem, solvers);
    await issueWildcardFromPebble(embedded, pebble, "pebble-dns", issuer);

    const challenges = JSON.parse((await certctl(server, "get", "challenges", "-A", "-o", "json")).stdout);
    const items: Array<{ spec: { type: string; wildcard?: boolean } }> = challenges.items ?? challenges;
    assert.equal(items.length, 2, JSON.stringify(challenges));
    assert.ok(items.every((c) => c.spec.type === "DNS-01"));
    await eventually("the TXT records to be removed from bind9", async () =>
      (await bind.dig("_acme-challenge.example.test", "TXT")).length === 0 ? true : undefined,
    );
  });
});

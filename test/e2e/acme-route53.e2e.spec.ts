// DNS-01 through Route 53 with the letsencrypt-wildcard ClusterIssuer of examples/production-patterns.yaml,
// verbatim but for the ACME server and its CA: the acme-solver's AWS SDK reaches the Route 53 stand-in
// through AWS_ENDPOINT_URL_ROUTE_53 and signs with ambient credentials from the environment, as it would
// with an instance role. The stand-in mirrors its TXT records into pebble's challtestsrv, where pebble's VA
// and the solver's propagation check read them.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import {
  challTestSrvMirror,
  type PebbleHandle,
  type Route53StandIn,
  startPebble,
  startRoute53StandIn,
} from "@certplane/testing";
import { dns01TestEnv } from "./support/acme-fixtures.ts";
import type { TestEmbeddedPlane } from "./support/embedded-plane.ts";
import { startTestEmbeddedPlane } from "./support/embedded-plane.ts";
import { eventually } from "./support/service-process.ts";
import { issueWildcardFromPebble } from "./support/wildcard-issuance.ts";

const key = { accessKeyId: "AKIAEXAMPLEAMBIENT01", secretAccessKey: "ambient-secret-0001" };
const ambientEnv = {
  AWS_ACCESS_KEY_ID: key.accessKeyId,
  AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
  // Nothing in this test may reach a real metadata service or shared profile.
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_CONFIG_FILE: "/nonexistent",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
};

/** The example's ClusterIssuer, with only the ACME server replaced and pebble's listener CA added. */
async function wildcardIssuer(pebble: PebbleHandle): Promise<string> {
  const examples = await readFile(
    new URL("../../examples/production-patterns.yaml", import.meta.url),
    "utf8",
  );
  const issuer = examples.split(/^---$/m).find((doc) => /name: letsencrypt-wildcard$/m.test(doc));
  assert.ok(issuer, "examples/production-patterns.yaml has the letsencrypt-wildcard ClusterIssuer");
  const server = "    server: https://acme-v02.api.letsencrypt.org/directory";
  assert.ok(issuer.includes(server));
  return issuer.replace(
    server,
    `    server: ${pebble.directoryUrl}\n    caBundle: ${Buffer.from(pebble.caPem).toString("base64")}`,
  );
}

describe("ACME DNS-01 through Route 53 (stand-in), against pebble", () => {
  let embedded: TestEmbeddedPlane;
  let pebble: PebbleHandle;
  let route53: Route53StandIn;
  const savedEnv: Record<string, string | undefined> = {};

  before(async () => {
    pebble = await startPebble();
    const challtestsrv = pebble.challtestsrv;
    assert.ok(challtestsrv);
    route53 = await startRoute53StandIn({
      zones: [{ name: "example.test", id: "Z0123456789ABCDEF" }],
      keys: [key],
      mirror: challTestSrvMirror(challtestsrv),
    });
    // The embedded plane runs in this process, so the SDK reads this process's environment.
    for (const [name, value] of Object.entries({
      ...ambientEnv,
      AWS_ENDPOINT_URL_ROUTE_53: route53.endpoint,
    })) {
      savedEnv[name] = process.env[name];
      process.env[name] = value;
    }
    embedded = await startTestEmbeddedPlane("certplane-acme-route53-", () =>
      dns01TestEnv(challtestsrv.dnsAddress),
    );
  });

  after(async () => {
    await embedded?.dispose();
    await route53?.close();
    await pebble?.dispose();
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test("the example's letsencrypt-wildcard issues a wildcard and its apex, and removes the TXT records", async () => {
    await issueWildcardFromPebble(embedded, pebble, "letsencrypt-wildcard", await wildcardIssuer(pebble));

    const calls = route53.calls();
    assert.ok(calls.length > 0 && calls.every((c) => c.principal === key.accessKeyId));
    assert.ok(!calls.some((c) => c.operation === "ListHostedZonesByName"), "hostedZoneID is used as given");
    // Both values were upserted (one record set each) and, after the Certificate is ready, deleted.
    await eventually("the TXT record sets to be deleted from Route 53", async () =>
      route53.recordSets().length === 0 ? true : undefined,
    );
    const changes = route53.calls().filter((c) => c.operation === "ChangeResourceRecordSets");
    assert.ok(changes.length >= 4, `${changes.length} ChangeResourceRecordSets calls`);
  });
});

import assert from "node:assert/strict";
import { join } from "node:path";
import type { PebbleHandle } from "@certplane/testing";
import { certificateYaml, verifyPublishedAgainstPebble, withManifest } from "./acme-fixtures.ts";
import { certctl, waitReady } from "./certctl.ts";
import type { TestEmbeddedPlane } from "./embedded-plane.ts";

/**
 * Applies `issuerYaml` with Certificate <namespace>/wildcard (`*.example.test` and `example.test`) from
 * `issuer`, waits for it to be Ready and checks the published Secret against pebble's root.
 */
export async function issueWildcardFromPebble(
  embedded: TestEmbeddedPlane,
  pebble: PebbleHandle,
  issuer: string,
  issuerYaml: string,
  namespace = "apps",
): Promise<void> {
  const manifests = [
    issuerYaml,
    "---",
    certificateYaml({
      namespace,
      name: "wildcard",
      secretName: "wildcard-tls",
      issuer,
      dnsNames: ["*.example.test", "example.test"],
    }),
  ].join("\n");
  const { server, workDir } = embedded;
  const applied = await withManifest(manifests, (file) => certctl(server, "apply", "-f", file));
  assert.equal(applied.code, 0, applied.stderr);
  const waited = await waitReady(server, "wildcard", namespace, "60s");
  const described = await certctl(server, "describe", "certificate", "wildcard", "-n", namespace);
  assert.equal(waited.code, 0, `${waited.stderr}\n${described.stdout}`);

  const published = await verifyPublishedAgainstPebble(
    join(workDir, "secrets", namespace, "wildcard-tls"),
    await pebble.rootPem(),
  );
  assert.match(published.verified, /leaf\.pem: OK/);
  assert.deepEqual(published.sans, ["DNS:*.example.test", "DNS:example.test"]);
  assert.ok(published.keyMatches, "tls.key is the key of tls.crt");
}

// DNS-01 through Azure DNS, Google Cloud DNS and DigitalOcean, each a stand-in that follows the
// provider's documented API, in the embedded control plane against pebble. The acme-solver reaches
// each one through its deployment settings (CERTPLANE_ACME_*_URL), as an operator would point it at
// a proxy or a sovereign cloud; the stand-ins mirror their TXT records into pebble's challtestsrv,
// where pebble's VA and the solver's propagation check read them.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type AzureDnsStandIn,
  challTestSrvMirror,
  type DigitalOceanStandIn,
  type GoogleCloudDnsStandIn,
  type PebbleHandle,
  startAzureDnsStandIn,
  startDigitalOceanStandIn,
  startGoogleCloudDnsStandIn,
  startPebble,
} from "@certplane/testing";
import { acmeClusterIssuerYaml, dns01TestEnv, withManifest } from "./support/acme-fixtures.ts";
import { certctl } from "./support/certctl.ts";
import type { TestEmbeddedPlane } from "./support/embedded-plane.ts";
import { startTestEmbeddedPlane } from "./support/embedded-plane.ts";
import { eventually } from "./support/service-process.ts";
import { issueWildcardFromPebble } from "./support/wildcard-issuance.ts";

const azureClient = { id: "00000000-0000-0000-0000-00000000c11e", secret: "azure-client-secret-1" };
const azure = { tenant: "tenant-1", subscription: "subscription-1", group: "dns-rg" };
const googleAccount = "cert-manager@project-1.iam.gserviceaccount.com";
const digitaloceanToken = "do-token-0001";

/** An Opaque Secret in cert-manager's namespace, where a ClusterIssuer's solver reads its credentials. */
const credentialSecret = (name: string, key: string, value: string) =>
  [
    "apiVersion: v1",
    "kind: Secret",
    `metadata: { name: ${name}, namespace: cert-manager }`,
    "type: Opaque",
    `stringData: { ${key}: ${JSON.stringify(value)} }`,
  ].join("\n");

describe("ACME DNS-01 through Azure DNS, Google Cloud DNS and DigitalOcean (stand-ins), against pebble", () => {
  let embedded: TestEmbeddedPlane;
  let pebble: PebbleHandle;
  let azureDns: AzureDnsStandIn;
  let cloudDns: GoogleCloudDnsStandIn;
  let digitalocean: DigitalOceanStandIn;

  before(async () => {
    pebble = await startPebble();
    const challtestsrv = pebble.challtestsrv;
    assert.ok(challtestsrv);
    const mirror = challTestSrvMirror(challtestsrv);
    azureDns = await startAzureDnsStandIn({
      tenantId: azure.tenant,
      clients: { [azureClient.id]: azureClient.secret },
      subscriptionId: azure.subscription,
      resourceGroupName: azure.group,
      zones: ["example.test"],
      mirror,
    });
    cloudDns = await startGoogleCloudDnsStandIn({
      project: "project-1",
      zones: [{ name: "example-test", dnsName: "example.test." }],
      serviceAccounts: [googleAccount],
      mirror,
    });
    digitalocean = await startDigitalOceanStandIn({
      domains: ["example.test"],
      tokens: [digitaloceanToken],
      mirror,
    });
    embedded = await startTestEmbeddedPlane("certplane-acme-cloud-dns-", () => ({
      ...dns01TestEnv(challtestsrv.dnsAddress),
      CERTPLANE_ACME_AZURE_MANAGEMENT_URL: azureDns.baseUrl,
      CERTPLANE_ACME_AZURE_LOGIN_URL: azureDns.baseUrl,
      CERTPLANE_ACME_GOOGLE_DNS_URL: cloudDns.baseUrl,
      CERTPLANE_ACME_GOOGLE_TOKEN_URL: cloudDns.tokenUrl,
      CERTPLANE_ACME_DIGITALOCEAN_API_URL: digitalocean.baseUrl,
    }));
  });

  after(async () => {
    await embedded?.dispose();
    await Promise.all([azureDns?.close(), cloudDns?.close(), digitalocean?.close()]);
    await pebble?.dispose();
  });

  interface ProviderCase {
    readonly title: string;
    readonly issuer: string;
    readonly namespace: string;
    /** The credential Secret's manifest, made once the stand-ins are up. */
    readonly secret: () => string;
    readonly solver: readonly string[];
    readonly recordsLeft: () => number;
  }

  const cases: readonly ProviderCase[] = [
    {
      title: "Azure DNS with a service principal",
      issuer: "pebble-azure",
      namespace: "azure-apps",
      secret: () => credentialSecret("azure-sp", "client-secret", azureClient.secret),
      solver: [
        "azureDNS:",
        `  clientID: ${azureClient.id}`,
        "  clientSecretSecretRef: { name: azure-sp, key: client-secret }",
        `  subscriptionID: ${azure.subscription}`,
        `  tenantID: ${azure.tenant}`,
        `  resourceGroupName: ${azure.group}`,
        "  hostedZoneName: example.test",
        "  environment: AzurePublicCloud",
      ],
      recordsLeft: () => azureDns.recordSets().length,
    },
    {
      title: "Google Cloud DNS with a service account key",
      issuer: "pebble-clouddns",
      namespace: "google-apps",
      secret: () => credentialSecret("clouddns-sa", "key.json", cloudDns.keyFile(googleAccount)),
      solver: [
        "cloudDNS:",
        "  project: project-1",
        "  serviceAccountSecretRef: { name: clouddns-sa, key: key.json }",
      ],
      recordsLeft: () => cloudDns.rrsets().length,
    },
    {
      title: "DigitalOcean with an API token",
      issuer: "pebble-digitalocean",
      namespace: "do-apps",
      secret: () => credentialSecret("digitalocean-token", "access-token", digitaloceanToken),
      solver: ["digitalocean:", "  tokenSecretRef: { name: digitalocean-token, key: access-token }"],
      recordsLeft: () => digitalocean.records().filter((record) => record.type === "TXT").length,
    },
  ];

  for (const provider of cases) {
    test(`${provider.title} issues a wildcard and its apex, then removes the TXT records`, async () => {
      const imported = await withManifest(provider.secret(), (file) =>
        certctl(embedded.server, "apply", "-f", file),
      );
      assert.equal(imported.code, 0, imported.stderr);
      const solvers = ["      - dns01:", ...provider.solver.map((line) => `          ${line}`)].join("\n");
      const issuerYaml = acmeClusterIssuerYaml(provider.issuer, pebble.directoryUrl, pebble.caPem, solvers);
      await issueWildcardFromPebble(embedded, pebble, provider.issuer, issuerYaml, provider.namespace);
      await eventually(`the ${provider.title} TXT records to be deleted`, async () =>
        provider.recordsLeft() === 0 ? true : undefined,
      );
    });
  }
});

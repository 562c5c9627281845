import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCertificateChain } from "@certplane/pki";
import { opensslVerifyChain } from "@certplane/testing";
import { openssl } from "./openssl.ts";

/** An ACME ClusterIssuer manifest trusting pebble's listener CA (caBundle base64, as cert-manager expects). */
/**
 * The acme-solver settings of a DNS-01 test: no HTTP-01 listener, quick polls and retries, and (with
 * `recursiveNameservers`) propagation checks that ask only those servers, like cert-manager's
 * --dns01-recursive-nameservers(-only), for issuers that name no nameservers of their own.
 */
export function dns01TestEnv(recursiveNameservers?: string): Record<string, string> {
  return {
    CERTPLANE_ACME_HTTP01_LISTEN: "",
    CERTPLANE_ACME_POLL_INTERVAL_MS: "50",
    CERTPLANE_ACME_RETRY_MIN_MS: "50",
    CERTPLANE_ACME_RETRY_MAX_MS: "500",
    CERTPLANE_ACME_DNS01_CHECK_RETRY_PERIOD_MS: "50",
    ...(recursiveNameservers === undefined
      ? {}
      : {
          CERTPLANE_ACME_DNS01_RECURSIVE_NAMESERVERS: recursiveNameservers,
          CERTPLANE_ACME_DNS01_RECURSIVE_NAMESERVERS_ONLY: "true",
        }),
  };
}

export function acmeClusterIssuerYaml(name: string, server: string, caPem: string, solvers: string): string {
  return [
    "apiVersion: cert-manager.io/v1",
    "kind: ClusterIssuer",
    `metadata: { name: ${name} }`,
    "spec:",
    "  acme:",
    `    server: ${server}`,
    "    email: ops@example.test",
    `    privateKeySecretRef: { name: ${name}-account-key }`,
    `    caBundle: ${Buffer.from(caPem).toString("base64")}`,
    "    solvers:",
    solvers,
    "",
  ].join("\n");
}

export function certificateYaml(options: {
  namespace: string;
  name: string;
  secretName: string;
  issuer: string;
  dnsNames: readonly string[];
}): string {
  return [
    "apiVersion: cert-manager.io/v1",
    "kind: Certificate",
    `metadata: { name: ${options.name}, namespace: ${options.namespace} }`,
    "spec:",
    `  secretName: ${options.secretName}`,
    `  dnsNames: [${options.dnsNames.map((n) => JSON.stringify(n)).join(", ")}]`,
    "  privateKey: { algorithm: ECDSA, size: 256 }",
    `  issuerRef: { name: ${options.issuer}, kind: ClusterIssuer, group: cert-manager.io }`,
    "",
  ].join("\n");
}

/** The `pebble` ClusterIssuer solving HTTP-01, and Certificate web/site (site.example.test) from it. */
export function pebbleSiteYaml(pebble: { readonly directoryUrl: string; readonly caPem: string }): string {
  return [
    acmeClusterIssuerYaml(
      "pebble",
      pebble.directoryUrl,
      pebble.caPem,
      "      - http01: { ingress: { ingressClassName: nginx } }",
    ),
    "---",
    certificateYaml({
      namespace: "web",
      name: "site",
      secretName: "site-tls",
      issuer: "pebble",
      dnsNames: ["site.example.test"],
    }),
  ].join("\n");
}

/** Writes manifests to a temporary file for `certctl apply -f`. */
export async function withManifest<T>(yaml: string, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "certplane-acme-manifest-"));
  try {
    const file = join(dir, "manifest.yaml");
    await writeFile(file, yaml);
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `openssl verify` of a published secret's tls.crt against pebble's root, the chain's intermediates
 * as -untrusted; resolves with openssl's output and the leaf's SANs as openssl prints them.
 */
export async function verifyPublishedAgainstPebble(
  secretDir: string,
  rootPem: string,
): Promise<{ verified: string; sans: string[]; keyMatches: boolean }> {
  const crt = join(secretDir, "tls.crt");
  const [leaf, ...intermediates] = parseCertificateChain(await readFile(crt, "utf8"));
  if (!leaf || intermediates.length === 0) throw new Error(`${crt} has no chain`);
  const verified = await opensslVerifyChain(await readFile(crt, "utf8"), rootPem);
  const text = await openssl(["x509", "-noout", "-ext", "subjectAltName"], leaf.pem);
  const sans = (text.split("\n")[1] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .sort();
  const certPub = await openssl(["x509", "-noout", "-pubkey"], leaf.pem);
  const keyPub = await openssl(["pkey", "-in", join(secretDir, "tls.key"), "-pubout"]);
  return { verified, sans, keyMatches: certPub.trim() === keyPub.trim() };
}

// Issuer / ClusterIssuer webhook rules (model §3), shared by both scopes.
import { issuerTypes } from "../resources/issuer.ts";
import { acmeChecks } from "./acme-checks.ts";
import type { HasIssuerSpec } from "./has-issuer-spec.ts";
import { required } from "./issuer-rule.ts";
import type { PolicyCheck, Violation } from "./policy-check.ts";
import { vaultChecks } from "./vault-checks.ts";
import { venafiChecks } from "./venafi-checks.ts";

function emptyUrls(urls: readonly string[] | undefined, path: string, example: string): Violation[] {
  return (urls ?? []).flatMap((url, i) =>
    url === "" ? [{ field: `${path}[${i}]`, message: `must be a valid URL, e.g., ${example}` }] : [],
  );
}

const issuerTypeChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  {
    name: "issuerTypeMissing",
    check: ({ spec }) =>
      issuerTypes.some((type) => spec[type] !== undefined)
        ? []
        : required("spec", "at least one issuer must be configured"),
  },
  {
    name: "issuerTypeNotUnique",
    // cert-manager keeps the first type set (in issuerTypes order) and flags each later one.
    check: ({ spec }) =>
      issuerTypes
        .filter((type) => spec[type] !== undefined)
        .slice(1)
        .map((type) => ({ field: `spec.${type}`, message: "may not specify more than one issuer type" })),
  },
];

const caChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  {
    name: "caSecretNameMissing",
    check: ({ spec: { ca } }) =>
      ca !== undefined && ca.secretName === "" ? required("spec.ca.secretName") : [],
  },
  {
    name: "caUrlEmpty",
    check: ({ spec: { ca } }) => [
      ...emptyUrls(ca?.ocspServers, "spec.ca.ocspServers", "http://ocsp.int-x3.letsencrypt.org"),
      ...emptyUrls(
        ca?.issuingCertificateURLs,
        "spec.ca.issuingCertificateURLs",
        "http://ca.example.com/ca.crt",
      ),
    ],
  },
];

/** cert-manager's Issuer webhook rules, in the order it reports them. */
export const issuerChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  ...issuerTypeChecks,
  ...acmeChecks,
  ...caChecks,
  ...vaultChecks,
  ...venafiChecks,
];

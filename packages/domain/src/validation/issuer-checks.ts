// Issuer / ClusterIssuer webhook rules (model §3), shared by both scopes.
import { issuerTypes } from "../resources/issuer.ts";
import { acmeChecks } from "./acme-checks.ts";
import type { HasIssuerSpec } from "./has-issuer-spec.ts";
import type { PolicyCheck, Violation } from "./policy-check.ts";

const required = (field: string, message = "must be specified"): Violation[] => [{ field, message }];

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

const vaultAuthMethods = ["tokenSecretRef", "appRole", "clientCertificate", "kubernetes", "aws"] as const;

const vaultChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  {
    name: "vaultServerMissing",
    check: ({ spec: { vault } }) =>
      vault !== undefined && vault.server === "" ? required("spec.vault.server") : [],
  },
  {
    name: "vaultPathMissing",
    check: ({ spec: { vault } }) =>
      vault !== undefined && vault.path === "" ? required("spec.vault.path") : [],
  },
  {
    name: "vaultPathTraversal",
    check: ({ spec: { vault } }) =>
      vault?.path.split("/").includes("..")
        ? [{ field: "spec.vault.path", message: "may not contain '..' segments" }]
        : [],
  },
  {
    name: "vaultAuthMissing",
    // cert-manager's webhook allows several methods (the controller then refuses); one is the minimum.
    check: ({ spec: { vault } }) =>
      vault !== undefined && !vaultAuthMethods.some((method) => vault.auth[method] !== undefined)
        ? required("spec.vault.auth", `please supply one of: ${vaultAuthMethods.join(", ")}`)
        : [],
  },
  {
    name: "vaultKubernetesCredentialsMissing",
    // Vault's Kubernetes auth needs a JWT to check: a stored token (secretRef) or one certplane asks
    // for on the named service account's behalf (serviceAccountRef).
    check: ({ spec: { vault } }) => {
      const kubernetes = vault?.auth.kubernetes;
      return kubernetes && !kubernetes.secretRef?.name && kubernetes.serviceAccountRef === undefined
        ? required(
            "spec.vault.auth.kubernetes",
            "Required value: please supply one of: secretRef, serviceAccountRef " +
              "(e.g. serviceAccountRef: {name: vault-issuer} for a bound token of that service account)",
          )
        : [];
    },
  },
  {
    name: "vaultCaBundleWithSecretRef",
    check: ({ spec: { vault } }) =>
      vault?.caBundle && vault.caBundleSecretRef !== undefined
        ? [
            {
              field: "spec.vault.caBundle",
              message: "specified caBundle and caBundleSecretRef cannot be used together",
            },
          ]
        : [],
  },
];

const venafiConnections = ["tpp", "cloud", "ngts"] as const;

const venafiChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  {
    name: "venafiZoneMissing",
    check: ({ spec: { venafi } }) =>
      venafi !== undefined && venafi.zone === "" ? required("spec.venafi.zone") : [],
  },
  {
    name: "venafiConnectionNotExactlyOne",
    check: ({ spec: { venafi } }) => {
      if (venafi === undefined) return [];
      const count = venafiConnections.filter((c) => venafi[c] !== undefined).length;
      return count === 1
        ? []
        : [{ field: "spec.venafi", message: `exactly one of ${venafiConnections.join(", ")} must be set` }];
    },
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

// What each DNS-01 provider needs (cert-manager's ValidateACMEChallengeSolverDNS01, model §3.5).
// Paths use the fields' JSON names; where cert-manager's Go path differs (akamai's `accessToken`
// for `accessTokenSecretRef`), the name the user wrote wins.
import type { AcmeDns01Solver, Dns01ProviderName } from "../resources/acme-solver.ts";
import { dns01ProviderNames, implementedDns01Providers } from "../resources/acme-solver.ts";
import { eachDns01 } from "./acme-solver-rule.ts";
import type { HasIssuerSpec } from "./has-issuer-spec.ts";
import { required } from "./issuer-rule.ts";
import { isNameserver, isRecursiveNameserver } from "./nameserver.ts";
import type { PolicyCheck, Violation } from "./policy-check.ts";
import { secretKeySelectorIncomplete } from "./secret-key-selector.ts";

const TSIG_ALGORITHMS = ["HMACMD5", "HMACSHA1", "HMACSHA256", "HMACSHA512"];

/** Runs a rule on one provider's configuration when the solver has it, at `…dns01.<provider>`. */
function eachProvider<P extends Dns01ProviderName>(
  name: string,
  provider: P,
  rule: (config: NonNullable<AcmeDns01Solver[P]>, path: string) => Violation[],
): PolicyCheck<HasIssuerSpec> {
  return eachDns01(name, (dns01, path) => {
    const config = dns01[provider];
    return config === undefined ? [] : rule(config as NonNullable<AcmeDns01Solver[P]>, `${path}.${provider}`);
  });
}

const missing = (field: string, when = ""): Violation[] =>
  required(field, when === "" ? "must be specified" : `must be specified ${when}`);

/** Ways of using a provider certplane drives that it cannot use yet: each refused on its field. */
function unsupportedModes(dns01: AcmeDns01Solver, path: string): Violation[] {
  const { route53, azureDNS, cloudDNS } = dns01;
  const modes: [boolean, string, string][] = [
    [
      route53?.auth?.kubernetes !== undefined,
      "route53.auth.kubernetes",
      "web identity through a Kubernetes service account is not supported by certplane yet; use accessKeyID with secretAccessKeySecretRef, role, or ambient credentials",
    ],
    [
      azureDNS !== undefined && azureDNS.clientID === undefined,
      "azureDNS",
      "certplane reaches Azure DNS with a service principal only: set clientID, clientSecretSecretRef and tenantID (managed identity and ambient credentials are not supported yet)",
    ],
    [
      azureDNS?.environment !== undefined && azureDNS.environment !== "AzurePublicCloud",
      "azureDNS.environment",
      "only AzurePublicCloud is supported by certplane yet",
    ],
    [
      azureDNS?.zoneType === "AzurePrivateZone",
      "azureDNS.zoneType",
      "private zones are not supported by certplane yet; use AzurePublicZone",
    ],
    [
      cloudDNS !== undefined && cloudDNS.serviceAccountSecretRef === undefined,
      "cloudDNS.serviceAccountSecretRef",
      "certplane reaches Google Cloud DNS with a service account key only (ambient credentials are not supported yet): set serviceAccountSecretRef",
    ],
  ];
  return modes.flatMap(([unsupported, field, message]) =>
    unsupported ? [{ field: `${path}.${field}`, message }] : [],
  );
}

const solverChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  eachDns01("dns01ProviderNotExactlyOne", (dns01, path) => {
    const configured = dns01ProviderNames.filter((name) => dns01[name] !== undefined);
    if (configured.length === 0) return [{ field: path, message: "no DNS01 provider configured" }];
    return configured
      .slice(1)
      .map((name) => ({ field: `${path}.${name}`, message: "may not specify more than one provider type" }));
  }),
  // Not cert-manager's rule but certplane's: a provider it cannot drive would be accepted and then
  // fail at every challenge, so it is refused here, naming what works.
  eachDns01("dns01ProviderNotSupported", (dns01, path) => [
    ...dns01ProviderNames
      .filter(
        (name) =>
          dns01[name] !== undefined && !(implementedDns01Providers as readonly string[]).includes(name),
      )
      .map((name) => ({
        field: `${path}.${name}`,
        message: `the ${name} DNS01 provider is not supported by certplane yet; use one of ${implementedDns01Providers.join(", ")}`,
      })),
    ...unsupportedModes(dns01, path),
  ]),
  eachDns01("dns01NameserverInvalid", (dns01, path) =>
    (dns01.nameservers ?? []).flatMap((nameserver, i) =>
      isRecursiveNameserver(nameserver)
        ? []
        : [
            {
              field: `${path}.nameservers[${i}]`,
              message: "must be host:port or an https:// DNS-over-HTTPS URL",
            },
          ],
    ),
  ),
];

const akamaiChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  eachProvider("akamaiServiceConsumerDomainMissing", "akamai", (akamai, path) =>
    akamai.serviceConsumerDomain === "" ? missing(`${path}.serviceConsumerDomain`) : [],
  ),
  eachProvider("akamaiSecretRefIncomplete", "akamai", (akamai, path) => [
    ...secretKeySelectorIncomplete(akamai.accessTokenSecretRef, `${path}.accessTokenSecretRef`),
    ...secretKeySelectorIncomplete(akamai.clientSecretSecretRef, `${path}.clientSecretSecretRef`),
    ...secretKeySelectorIncomplete(akamai.clientTokenSecretRef, `${path}.clientTokenSecretRef`),
  ]),
];

const azureChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  eachProvider("azureDNSServicePrincipalIncomplete", "azureDNS", (azure, path) => {
    // A service principal is clientID + clientSecretSecretRef + tenantID; any one of them asks for all.
    if (!azure.clientID && !azure.tenantID && azure.clientSecretSecretRef === undefined) return [];
    const when = "for a service principal (clientID, clientSecretSecretRef and tenantID go together)";
    return [
      ...(azure.clientID ? [] : missing(`${path}.clientID`, when)),
      ...(azure.clientSecretSecretRef === undefined
        ? missing(`${path}.clientSecretSecretRef`, when)
        : secretKeySelectorIncomplete(azure.clientSecretSecretRef, `${path}.clientSecretSecretRef`)),
      ...(azure.tenantID ? [] : missing(`${path}.tenantID`, when)),
    ];
  }),
  eachProvider("azureDNSManagedIdentityWithServicePrincipal", "azureDNS", (azure, path) =>
    azure.managedIdentity !== undefined &&
    (azure.clientID || azure.tenantID || azure.clientSecretSecretRef !== undefined)
      ? [
          {
            field: `${path}.managedIdentity`,
            message:
              "managed identity cannot be used at the same time as clientID, clientSecretSecretRef or tenantID",
          },
        ]
      : [],
  ),
  eachProvider("azureDNSManagedIdentityConflict", "azureDNS", (azure, path) => {
    const identity = azure.managedIdentity;
    if (identity === undefined || azure.clientID || azure.tenantID || azure.clientSecretSecretRef) return [];
    const field = `${path}.managedIdentity`;
    return [
      ...(identity.clientID && identity.resourceID
        ? [
            {
              field,
              message: "managedIdentityClientID and managedIdentityResourceID cannot both be specified",
            },
          ]
        : []),
      ...(identity.tenantID && identity.resourceID
        ? [
            {
              field,
              message: "managedIdentityTenantID and managedIdentityResourceID cannot both be specified",
            },
          ]
        : []),
      ...(identity.tenantID && !identity.clientID
        ? [{ field, message: "managedIdentityClientID is required when using managedIdentityTenantID" }]
        : []),
    ];
  }),
  eachProvider("azureDNSSubscriptionIDMissing", "azureDNS", (azure, path) =>
    azure.subscriptionID === "" ? missing(`${path}.subscriptionID`) : [],
  ),
  eachProvider("azureDNSResourceGroupNameMissing", "azureDNS", (azure, path) =>
    azure.resourceGroupName === "" ? missing(`${path}.resourceGroupName`) : [],
  ),
];

const cloudDnsChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  eachProvider("cloudDNSProjectMissing", "cloudDNS", (cloudDNS, path) =>
    cloudDNS.project === "" ? missing(`${path}.project`) : [],
  ),
  // Without a reference the provider uses ambient credentials; with one it must be complete.
  eachProvider("cloudDNSServiceAccountSecretRefIncomplete", "cloudDNS", (cloudDNS, path) =>
    secretKeySelectorIncomplete(cloudDNS.serviceAccountSecretRef, `${path}.serviceAccountSecretRef`),
  ),
];

const cloudflareChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  eachProvider("cloudflareCredentialsNotExactlyOne", "cloudflare", (cloudflare, path) => {
    if (cloudflare.apiKeySecretRef && cloudflare.apiTokenSecretRef) {
      return [{ field: path, message: "apiKeySecretRef and apiTokenSecretRef cannot both be specified" }];
    }
    if (!cloudflare.apiKeySecretRef && !cloudflare.apiTokenSecretRef) {
      return [{ field: path, message: "apiKeySecretRef or apiTokenSecretRef is required" }];
    }
    return [];
  }),
  eachProvider("cloudflareEmailMissing", "cloudflare", (cloudflare, path) =>
    cloudflare.apiKeySecretRef && !cloudflare.email
      ? [{ field: `${path}.email`, message: "email is required when using apiKeySecretRef" }]
      : [],
  ),
  eachProvider("cloudflareSecretRefIncomplete", "cloudflare", (cloudflare, path) => [
    ...secretKeySelectorIncomplete(cloudflare.apiKeySecretRef, `${path}.apiKeySecretRef`),
    ...secretKeySelectorIncomplete(cloudflare.apiTokenSecretRef, `${path}.apiTokenSecretRef`),
  ]),
];

const route53Checks: readonly PolicyCheck<HasIssuerSpec>[] = [
  eachProvider("route53AccessKeyNotUnique", "route53", (route53, path) =>
    route53.accessKeyID && route53.accessKeyIDSecretRef
      ? [{ field: path, message: "accessKeyID and accessKeyIDSecretRef cannot both be specified" }]
      : [],
  ),
  // cert-manager's webhook checks accessKeyIDSecretRef; its provider then reads the secret access key
  // by name and key as well, so an incomplete reference there is refused too.
  eachProvider("route53SecretRefIncomplete", "route53", (route53, path) => [
    ...secretKeySelectorIncomplete(route53.accessKeyIDSecretRef, `${path}.accessKeyIDSecretRef`),
    ...(route53.secretAccessKeySecretRef?.name
      ? secretKeySelectorIncomplete(route53.secretAccessKeySecretRef, `${path}.secretAccessKeySecretRef`)
      : []),
  ]),
  // cert-manager's route53 provider fails at Present with "empty credentials" when only one half
  // of a static key is given; refusing it here says which half is missing before any order.
  eachProvider("route53AccessKeyPairIncomplete", "route53", (route53, path) => {
    const hasKeyID = Boolean(route53.accessKeyID || route53.accessKeyIDSecretRef);
    const hasSecret = Boolean(route53.secretAccessKeySecretRef?.name);
    if (hasKeyID === hasSecret) return [];
    return hasKeyID
      ? missing(`${path}.secretAccessKeySecretRef.name`, "when accessKeyID or accessKeyIDSecretRef is set")
      : missing(`${path}.accessKeyID`, "(or accessKeyIDSecretRef) when secretAccessKeySecretRef is set");
  }),
];

const smallProviderChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  eachProvider("acmeDNSHostMissing", "acmeDNS", (acmeDNS, path) =>
    acmeDNS.host === "" ? missing(`${path}.host`) : [],
  ),
  eachProvider("acmeDNSAccountSecretRefIncomplete", "acmeDNS", (acmeDNS, path) =>
    secretKeySelectorIncomplete(acmeDNS.accountSecretRef, `${path}.accountSecretRef`),
  ),
  eachProvider("digitaloceanTokenSecretRefIncomplete", "digitalocean", (digitalocean, path) =>
    secretKeySelectorIncomplete(digitalocean.tokenSecretRef, `${path}.tokenSecretRef`),
  ),
  eachProvider("webhookGroupNameMissing", "webhook", (webhook, path) =>
    // Required by the CRD; an empty group would address no solver API at all.
    webhook.groupName === "" ? [{ field: `${path}.groupName`, message: "group name must be specified" }] : [],
  ),
  eachProvider("webhookSolverNameMissing", "webhook", (webhook, path) =>
    webhook.solverName === ""
      ? [{ field: `${path}.solverName`, message: "solver name must be specified" }]
      : [],
  ),
];

const rfc2136Checks: readonly PolicyCheck<HasIssuerSpec>[] = [
  eachProvider("rfc2136NameserverInvalid", "rfc2136", (rfc2136, path) => {
    const field = `${path}.nameserver`;
    if (rfc2136.nameserver === "") return missing(field);
    return isNameserver(rfc2136.nameserver)
      ? []
      : [
          {
            field,
            message:
              "nameserver must be set in the form host:port where host is an IPv4 address, an enclosed IPv6 " +
              "address or a hostname and port is an optional port number.",
          },
        ];
  }),
  eachProvider("rfc2136TsigAlgorithmNotSupported", "rfc2136", ({ tsigAlgorithm }, path) => {
    if (!tsigAlgorithm || TSIG_ALGORITHMS.includes(tsigAlgorithm.toUpperCase())) return [];
    const supported = TSIG_ALGORITHMS.map((a) => `"${a}"`).join(", ");
    return [
      {
        field: `${path}.tsigAlgorithm`,
        message: `Unsupported value: "${tsigAlgorithm}": supported values: ${supported}`,
      },
    ];
  }),
  // TSIG needs both the key's name and its secret; either one alone signs nothing.
  eachProvider("rfc2136TsigSecretSecretRefIncomplete", "rfc2136", (rfc2136, path) =>
    rfc2136.tsigKeyName
      ? secretKeySelectorIncomplete(
          rfc2136.tsigSecretSecretRef ?? { name: "" },
          `${path}.tsigSecretSecretRef`,
        )
      : [],
  ),
  eachProvider("rfc2136TsigKeyNameMissing", "rfc2136", (rfc2136, path) =>
    !rfc2136.tsigKeyName && rfc2136.tsigSecretSecretRef?.name && rfc2136.tsigSecretSecretRef.key
      ? missing(`${path}.tsigKeyName`, "when tsigSecretSecretRef is set")
      : [],
  ),
];

/** cert-manager's DNS-01 rules, provider by provider in its order. */
export const dns01ProviderChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  ...solverChecks,
  ...akamaiChecks,
  ...azureChecks,
  ...cloudDnsChecks,
  ...cloudflareChecks,
  ...route53Checks,
  ...smallProviderChecks,
  ...rfc2136Checks,
];

import { issuerWith, type RuleRow, ruleTable } from "../testing/rule-table.ts";

const dns01 = (provider: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  issuerWith({
    acme: {
      server: "https://acme.example/directory",
      privateKeySecretRef: { name: "account-key" },
      solvers: [{ dns01: { ...provider, ...extra } }],
    },
  });

const P = "spec.acme.solvers[0].dns01";
const ref = (name: string, key = "k") => ({ name, key });
const azure = (patch: Record<string, unknown>) =>
  dns01({ azureDNS: { subscriptionID: "sub", resourceGroupName: "rg", ...patch } });
const rfc2136 = (patch: Record<string, unknown>) => dns01({ rfc2136: { nameserver: "10.0.0.1", ...patch } });
const route53 = (patch: Record<string, unknown>) => dns01({ route53: { region: "us-east-1", ...patch } });
const secretName = (field: string) => ({ field: `${field}.name`, message: "secret name is required" });
const secretKey = (field: string) => ({ field: `${field}.key`, message: "secret key is required" });
const nameserverMessage =
  "nameserver must be set in the form host:port where host is an IPv4 address, an enclosed IPv6 address or " +
  "a hostname and port is an optional port number.";

const rules: Record<string, readonly RuleRow[]> = {
  dns01ProviderNotExactlyOne: [
    ["one provider passes", dns01({ digitalocean: { tokenSecretRef: ref("do") } }), []],
    ["no provider is refused", dns01({}), [{ field: P, message: "no DNS01 provider configured" }]],
    [
      "a second provider is refused on the later one",
      dns01({ cloudDNS: { project: "p" }, rfc2136: { nameserver: "10.0.0.1" } }),
      [{ field: `${P}.rfc2136`, message: "may not specify more than one provider type" }],
    ],
  ],
  dns01ProviderNotSupported: [
    ["a provider certplane drives passes", dns01({ digitalocean: { tokenSecretRef: ref("do") } }), []],
    ["azureDNS passes", azure({ clientID: "c", clientSecretSecretRef: ref("az"), tenantID: "t" }), []],
    ["cloudDNS passes", dns01({ cloudDNS: { project: "p", serviceAccountSecretRef: ref("gcp") } }), []],
    [
      "akamai is refused, naming what works",
      dns01({
        akamai: {
          serviceConsumerDomain: "akamai.example",
          clientTokenSecretRef: ref("a"),
          clientSecretSecretRef: ref("a"),
          accessTokenSecretRef: ref("a"),
        },
      }),
      [
        {
          field: `${P}.akamai`,
          message:
            "the akamai DNS01 provider is not supported by certplane yet; use one of acmeDNS, azureDNS, cloudDNS, cloudflare, digitalocean, rfc2136, route53, webhook",
        },
      ],
    ],
    [
      "route53 web identity through a service account is refused",
      route53({ auth: { kubernetes: { serviceAccountRef: { name: "sa" } } } }),
      [
        {
          field: `${P}.route53.auth.kubernetes`,
          message:
            "web identity through a Kubernetes service account is not supported by certplane yet; use accessKeyID with secretAccessKeySecretRef, role, or ambient credentials",
        },
      ],
    ],
    [
      "azureDNS with a managed identity, another cloud or a private zone is refused on each field",
      azure({
        managedIdentity: { clientID: "mi" },
        environment: "AzureChinaCloud",
        zoneType: "AzurePrivateZone",
      }),
      [
        {
          field: `${P}.azureDNS`,
          message:
            "certplane reaches Azure DNS with a service principal only: set clientID, clientSecretSecretRef and tenantID (managed identity and ambient credentials are not supported yet)",
        },
        {
          field: `${P}.azureDNS.environment`,
          message: "only AzurePublicCloud is supported by certplane yet",
        },
        {
          field: `${P}.azureDNS.zoneType`,
          message: "private zones are not supported by certplane yet; use AzurePublicZone",
        },
      ],
    ],
    [
      "cloudDNS with ambient credentials is refused",
      dns01({ cloudDNS: { project: "p" } }),
      [
        {
          field: `${P}.cloudDNS.serviceAccountSecretRef`,
          message:
            "certplane reaches Google Cloud DNS with a service account key only (ambient credentials are not supported yet): set serviceAccountSecretRef",
        },
      ],
    ],
  ],
  dns01NameserverInvalid: [
    [
      "host:port, a bracketed IPv6 address with a port, and a DoH URL pass",
      dns01(
        { cloudDNS: { project: "p" } },
        { nameservers: ["8.8.8.8:53", "[::1]:53", "https://1.1.1.1/dns-query"] },
      ),
      [],
    ],
    [
      "a port out of range and a DoH URL without a host are refused by index",
      dns01({ cloudDNS: { project: "p" } }, { nameservers: ["8.8.8.8:65536", "https://"] }),
      [
        { field: `${P}.nameservers[0]`, message: "must be host:port or an https:// DNS-over-HTTPS URL" },
        { field: `${P}.nameservers[1]`, message: "must be host:port or an https:// DNS-over-HTTPS URL" },
      ],
    ],
  ],
  akamaiServiceConsumerDomainMissing: [
    [
      "an empty serviceConsumerDomain is refused",
      dns01({
        akamai: {
          serviceConsumerDomain: "",
          clientTokenSecretRef: ref("a"),
          clientSecretSecretRef: ref("a"),
          accessTokenSecretRef: ref("a"),
        },
      }),
      [{ field: `${P}.akamai.serviceConsumerDomain`, message: "must be specified" }],
    ],
  ],
  akamaiSecretRefIncomplete: [
    [
      "each of the three references needs a name and a key",
      dns01({
        akamai: {
          serviceConsumerDomain: "akamai.example",
          clientTokenSecretRef: { name: "a" },
          clientSecretSecretRef: ref("a"),
          accessTokenSecretRef: { name: "", key: "k" },
        },
      }),
      [secretName(`${P}.akamai.accessTokenSecretRef`), secretKey(`${P}.akamai.clientTokenSecretRef`)],
    ],
  ],
  azureDNSServicePrincipalIncomplete: [
    [
      "a full service principal passes",
      azure({ clientID: "c", clientSecretSecretRef: ref("az"), tenantID: "t" }),
      [],
    ],
    ["ambient credentials (no principal, no identity) pass", azure({}), []],
    [
      "a clientID alone asks for the secret and the tenant",
      azure({ clientID: "c" }),
      [
        {
          field: `${P}.azureDNS.clientSecretSecretRef`,
          message:
            "must be specified for a service principal (clientID, clientSecretSecretRef and tenantID go together)",
        },
        {
          field: `${P}.azureDNS.tenantID`,
          message:
            "must be specified for a service principal (clientID, clientSecretSecretRef and tenantID go together)",
        },
      ],
    ],
    [
      "the client secret reference needs its key",
      azure({ clientID: "c", clientSecretSecretRef: { name: "az" }, tenantID: "t" }),
      [secretKey(`${P}.azureDNS.clientSecretSecretRef`)],
    ],
  ],
  azureDNSManagedIdentityWithServicePrincipal: [
    [
      "a managed identity next to a tenantID is refused",
      azure({ tenantID: "t", managedIdentity: { clientID: "mi" } }),
      [
        {
          field: `${P}.azureDNS.managedIdentity`,
          message:
            "managed identity cannot be used at the same time as clientID, clientSecretSecretRef or tenantID",
        },
      ],
    ],
  ],
  azureDNSManagedIdentityConflict: [
    [
      "a managed identity by client and tenant passes",
      azure({ managedIdentity: { clientID: "c", tenantID: "t" } }),
      [],
    ],
    [
      "a resourceID with a clientID and a tenantID is refused twice",
      azure({ managedIdentity: { clientID: "c", tenantID: "t", resourceID: "r" } }),
      [
        {
          field: `${P}.azureDNS.managedIdentity`,
          message: "managedIdentityClientID and managedIdentityResourceID cannot both be specified",
        },
        {
          field: `${P}.azureDNS.managedIdentity`,
          message: "managedIdentityTenantID and managedIdentityResourceID cannot both be specified",
        },
      ],
    ],
    [
      "a tenantID without a clientID is refused",
      azure({ managedIdentity: { tenantID: "t" } }),
      [
        {
          field: `${P}.azureDNS.managedIdentity`,
          message: "managedIdentityClientID is required when using managedIdentityTenantID",
        },
      ],
    ],
  ],
  azureDNSSubscriptionIDMissing: [
    [
      "an empty subscriptionID is refused",
      azure({ subscriptionID: "" }),
      [{ field: `${P}.azureDNS.subscriptionID`, message: "must be specified" }],
    ],
  ],
  azureDNSResourceGroupNameMissing: [
    [
      "an empty resourceGroupName is refused",
      azure({ resourceGroupName: "" }),
      [{ field: `${P}.azureDNS.resourceGroupName`, message: "must be specified" }],
    ],
  ],
  cloudDNSProjectMissing: [
    [
      "an empty project is refused",
      dns01({ cloudDNS: { project: "" } }),
      [{ field: `${P}.cloudDNS.project`, message: "must be specified" }],
    ],
  ],
  cloudDNSServiceAccountSecretRefIncomplete: [
    ["no reference (ambient credentials) passes", dns01({ cloudDNS: { project: "p" } }), []],
    [
      "a reference without a key is refused",
      dns01({ cloudDNS: { project: "p", serviceAccountSecretRef: { name: "gcp" } } }),
      [secretKey(`${P}.cloudDNS.serviceAccountSecretRef`)],
    ],
  ],
  cloudflareCredentialsNotExactlyOne: [
    [
      "both an API key and an API token are refused",
      dns01({ cloudflare: { email: "a@b.c", apiKeySecretRef: ref("k"), apiTokenSecretRef: ref("t") } }),
      [
        {
          field: `${P}.cloudflare`,
          message: "apiKeySecretRef and apiTokenSecretRef cannot both be specified",
        },
      ],
    ],
    [
      "neither is refused",
      dns01({ cloudflare: { email: "a@b.c" } }),
      [{ field: `${P}.cloudflare`, message: "apiKeySecretRef or apiTokenSecretRef is required" }],
    ],
  ],
  cloudflareEmailMissing: [
    ["an API token needs no email", dns01({ cloudflare: { apiTokenSecretRef: ref("t") } }), []],
    [
      "an API key needs an email",
      dns01({ cloudflare: { apiKeySecretRef: ref("k") } }),
      [{ field: `${P}.cloudflare.email`, message: "email is required when using apiKeySecretRef" }],
    ],
  ],
  cloudflareSecretRefIncomplete: [
    [
      "a token reference without a key is refused",
      dns01({ cloudflare: { apiTokenSecretRef: { name: "cf" } } }),
      [secretKey(`${P}.cloudflare.apiTokenSecretRef`)],
    ],
  ],
  route53AccessKeyNotUnique: [
    [
      "accessKeyID and accessKeyIDSecretRef together are refused",
      route53({
        accessKeyID: "AKIA",
        accessKeyIDSecretRef: ref("aws"),
        secretAccessKeySecretRef: ref("aws"),
      }),
      [{ field: `${P}.route53`, message: "accessKeyID and accessKeyIDSecretRef cannot both be specified" }],
    ],
  ],
  route53SecretRefIncomplete: [
    [
      "an accessKeyIDSecretRef without a key is refused",
      route53({ accessKeyIDSecretRef: { name: "aws" }, secretAccessKeySecretRef: ref("aws") }),
      [secretKey(`${P}.route53.accessKeyIDSecretRef`)],
    ],
    [
      "a secretAccessKeySecretRef without a key is refused",
      route53({ accessKeyID: "AKIA", secretAccessKeySecretRef: { name: "aws" } }),
      [secretKey(`${P}.route53.secretAccessKeySecretRef`)],
    ],
  ],
  route53AccessKeyPairIncomplete: [
    ["ambient credentials (neither half) pass", route53({}), []],
    ["a role alone passes", route53({ role: "arn:aws:iam::1:role/dns" }), []],
    ["both halves pass", route53({ accessKeyID: "AKIA", secretAccessKeySecretRef: ref("aws") }), []],
    [
      "an access key without its secret is refused",
      route53({ accessKeyIDSecretRef: ref("aws") }),
      [
        {
          field: `${P}.route53.secretAccessKeySecretRef.name`,
          message: "must be specified when accessKeyID or accessKeyIDSecretRef is set",
        },
      ],
    ],
    [
      "a secret without its access key is refused",
      route53({ secretAccessKeySecretRef: ref("aws") }),
      [
        {
          field: `${P}.route53.accessKeyID`,
          message: "must be specified (or accessKeyIDSecretRef) when secretAccessKeySecretRef is set",
        },
      ],
    ],
  ],
  acmeDNSHostMissing: [
    [
      "an empty host is refused",
      dns01({ acmeDNS: { host: "", accountSecretRef: ref("acme-dns") } }),
      [{ field: `${P}.acmeDNS.host`, message: "must be specified" }],
    ],
  ],
  acmeDNSAccountSecretRefIncomplete: [
    [
      "an account reference without a name and key is refused on both",
      dns01({ acmeDNS: { host: "https://auth.example", accountSecretRef: { name: "" } } }),
      [secretName(`${P}.acmeDNS.accountSecretRef`), secretKey(`${P}.acmeDNS.accountSecretRef`)],
    ],
  ],
  digitaloceanTokenSecretRefIncomplete: [
    [
      "a token reference without a key is refused",
      dns01({ digitalocean: { tokenSecretRef: { name: "do" } } }),
      [secretKey(`${P}.digitalocean.tokenSecretRef`)],
    ],
  ],
  webhookGroupNameMissing: [
    [
      "an empty groupName is refused",
      dns01({ webhook: { groupName: "", solverName: "s" } }),
      [{ field: `${P}.webhook.groupName`, message: "group name must be specified" }],
    ],
  ],
  webhookSolverNameMissing: [
    [
      "an empty solverName is refused",
      dns01({ webhook: { groupName: "acme.example.com", solverName: "" } }),
      [{ field: `${P}.webhook.solverName`, message: "solver name must be specified" }],
    ],
  ],
  rfc2136NameserverInvalid: [
    ...[
      "10.0.0.1",
      "10.0.0.1:5353",
      "[2001:db8::1]",
      "[::1]:53",
      "ns1.example.com:",
      " ns1.example.com ",
    ].map((nameserver): RuleRow => [`${JSON.stringify(nameserver)} passes`, rfc2136({ nameserver }), []]),
    ...["2001:db8::1", ":53", "10.0.0.1:0", "10.0.0.1:65536", "10.0.0.1:dns", "[::1"].map(
      (nameserver): RuleRow => [
        `${JSON.stringify(nameserver)} is refused`,
        rfc2136({ nameserver }),
        [{ field: `${P}.rfc2136.nameserver`, message: nameserverMessage }],
      ],
    ),
    [
      "an empty nameserver must be specified",
      rfc2136({ nameserver: "" }),
      [{ field: `${P}.rfc2136.nameserver`, message: "must be specified" }],
    ],
  ],
  rfc2136TsigAlgorithmNotSupported: [
    ["the algorithm is read case-insensitively", rfc2136({ tsigAlgorithm: "hmacsha256" }), []],
    [
      "an algorithm outside the four HMACs is refused",
      rfc2136({ tsigAlgorithm: "HMACSHA224" }),
      [
        {
          field: `${P}.rfc2136.tsigAlgorithm`,
          message:
            'Unsupported value: "HMACSHA224": supported values: "HMACMD5", "HMACSHA1", "HMACSHA256", "HMACSHA512"',
        },
      ],
    ],
  ],
  rfc2136TsigSecretSecretRefIncomplete: [
    [
      "a key name with a full secret reference passes",
      rfc2136({ tsigKeyName: "k", tsigSecretSecretRef: ref("tsig") }),
      [],
    ],
    [
      "a key name without a secret reference is refused on its name and key",
      rfc2136({ tsigKeyName: "k" }),
      [secretName(`${P}.rfc2136.tsigSecretSecretRef`), secretKey(`${P}.rfc2136.tsigSecretSecretRef`)],
    ],
  ],
  rfc2136TsigKeyNameMissing: [
    ["no TSIG at all passes", rfc2136({}), []],
    [
      "a secret reference without a key name is refused",
      rfc2136({ tsigSecretSecretRef: ref("tsig") }),
      [{ field: `${P}.rfc2136.tsigKeyName`, message: "must be specified when tsigSecretSecretRef is set" }],
    ],
  ],
};

ruleTable(rules);

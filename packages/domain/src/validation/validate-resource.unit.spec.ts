import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FieldIssue } from "../errors.ts";
import { ValidationError } from "../errors.ts";
import { plainCsrPem } from "../testing/pem-fixtures.ts";
import { seedManifests } from "../testing/seed-manifests.ts";
import { parseResource, validateResource } from "./validate-resource.ts";

type Patch = Record<string, unknown>;

function certificate(spec: Patch = {}, metadata: Patch = {}): unknown {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: "myapp-tls", namespace: "demo-apps", ...metadata },
    spec: {
      secretName: "myapp-tls-secret",
      dnsNames: ["myapp.example.com"],
      issuerRef: { name: "demo-ca-issuer", kind: "ClusterIssuer" },
      ...spec,
    },
  };
}

function issuer(spec: Patch): unknown {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Issuer",
    metadata: { name: "iss", namespace: "ns" },
    spec,
  };
}

const acme = (patch: Patch = {}) => ({
  acme: {
    server: "https://acme.example/directory",
    privateKeySecretRef: { name: "account-key" },
    ...patch,
  },
});

const solver = (patch: Patch) => acme({ solvers: [patch] });

const pemCsr = btoa(plainCsrPem);

function certificateRequest(spec: Patch = {}): unknown {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "CertificateRequest",
    metadata: { name: "myapp-tls-1", namespace: "demo-apps" },
    spec: { request: pemCsr, issuerRef: { name: "demo-ca-issuer" }, ...spec },
  };
}

function issuesOf(input: unknown): readonly FieldIssue[] {
  const result = validateResource(input);
  return result.ok ? [] : result.error.issues;
}

describe("validateResource accepts the seed manifests", () => {
  for (const [name, manifest] of Object.entries(seedManifests)) {
    it(`accepts the ${name}`, () => {
      assert.deepEqual(issuesOf(manifest), []);
    });
  }

  it("returns the parsed resource, typed by kind", () => {
    const result = validateResource(seedManifests["RSA application Certificate"]);
    assert.ok(result.ok && result.resource.kind === "Certificate");
    assert.equal(result.resource.spec.secretName, "myapp-tls-secret");
  });
});

const rejections: [string, unknown, FieldIssue[]][] = [
  // Shape (the CRD's part)
  [
    "an unknown spec field is rejected with its path",
    certificate({ foo: 1 }),
    [{ field: "spec.foo", rule: "unknownField", message: 'unknown field "foo"' }],
  ],
  [
    "an unknown nested field is rejected with its full path",
    certificate({ privateKey: { algorithm: "RSA", bits: 2048 } }),
    [{ field: "spec.privateKey.bits", rule: "unknownField", message: 'unknown field "bits"' }],
  ],
  [
    "a missing required field is reported as required",
    certificate({ secretName: undefined }),
    [{ field: "spec.secretName", rule: "required", message: "Required value" }],
  ],
  [
    "a wrongly typed list item names its index",
    certificate({ dnsNames: ["a.example.com", 7] }),
    [{ field: "spec.dnsNames[1]", rule: "invalidType", message: "must be of type string, got number" }],
  ],
  [
    "an algorithm outside the enum lists the supported values",
    certificate({ privateKey: { algorithm: "DSA" } }),
    [
      {
        field: "spec.privateKey.algorithm",
        rule: "notSupported",
        message: 'Unsupported value: "DSA": supported values: "RSA", "ECDSA", "Ed25519"',
      },
    ],
  ],
  [
    "an unparsable Go duration is refused with Go's message",
    certificate({ duration: "90d" }),
    [{ field: "spec.duration", rule: "goDuration", message: 'time: unknown unit "d" in duration "90d"' }],
  ],
  [
    "an unsupported kind is refused",
    { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "x" } },
    [
      {
        field: "kind",
        rule: "notSupported",
        message:
          'unsupported kind "Gateway" (apiVersion "gateway.networking.k8s.io/v1"); supported: cert-manager.io/v1 Issuer, ' +
          "cert-manager.io/v1 ClusterIssuer, cert-manager.io/v1 Certificate, cert-manager.io/v1 CertificateRequest, " +
          "acme.cert-manager.io/v1 Order, acme.cert-manager.io/v1 Challenge, v1 Namespace, v1 Secret, " +
          "certplane.io/v1alpha1 SecretTarget",
      },
    ],
  ],
  [
    "an old apiVersion of a known kind is refused on apiVersion",
    { apiVersion: "cert-manager.io/v1alpha2", kind: "Certificate", metadata: { name: "x" } },
    [
      {
        field: "apiVersion",
        rule: "notSupported",
        message: 'Certificate is served as cert-manager.io/v1, not "cert-manager.io/v1alpha2"',
      },
    ],
  ],
  // Metadata
  [
    "an uppercase name is not a DNS-1123 subdomain",
    certificate({}, { name: "MyApp" }),
    [
      {
        field: "metadata.name",
        rule: "nameNotDns1123",
        message:
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must " +
          "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
          "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      },
    ],
  ],
  [
    "a namespace with a dot is not a DNS-1123 label",
    certificate({}, { namespace: "demo.apps" }),
    [
      {
        field: "metadata.namespace",
        rule: "namespaceNotDns1123Label",
        message:
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and " +
          "end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is " +
          "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      },
    ],
  ],
  [
    "a ClusterIssuer with a namespace is refused",
    {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: "ca", namespace: "x" },
      spec: { selfSigned: {} },
    },
    [
      {
        field: "metadata.namespace",
        rule: "namespaceOnClusterScopedKind",
        message: "ClusterIssuer is cluster-scoped and takes no namespace",
      },
    ],
  ],
  // Certificate webhook rules
  [
    "renewBefore longer than the duration is refused with both durations in Go form",
    certificate({ duration: "720h", renewBefore: "8760h" }),
    [
      {
        field: "spec.renewBefore",
        rule: "renewBeforeNotLessThanDuration",
        message: "certificate duration 720h0m0s must be greater than renewBefore 8760h0m0s",
      },
    ],
  ],
  [
    "renewBefore is compared with the 90-day default when duration is unset",
    certificate({ renewBefore: "2160h" }),
    [
      {
        field: "spec.renewBefore",
        rule: "renewBeforeNotLessThanDuration",
        message: "certificate duration 2160h0m0s must be greater than renewBefore 2160h0m0s",
      },
    ],
  ],
  [
    "an RSA key below 2048 bits is refused",
    certificate({ privateKey: { algorithm: "RSA", size: 1024 } }),
    [
      {
        field: "spec.privateKey.size",
        rule: "rsaKeySizeOutOfRange",
        message: "must be between 2048 and 8192 for rsa keyAlgorithm",
      },
    ],
  ],
  [
    "a size without an algorithm is judged as an RSA size",
    certificate({ privateKey: { size: 16384 } }),
    [
      {
        field: "spec.privateKey.size",
        rule: "rsaKeySizeOutOfRange",
        message: "must be between 2048 and 8192 for rsa keyAlgorithm",
      },
    ],
  ],
  [
    "an ECDSA key of 512 bits is refused with the three curves",
    certificate({ privateKey: { algorithm: "ECDSA", size: 512 } }),
    [
      {
        field: "spec.privateKey.size",
        rule: "ecdsaKeySizeNotSupported",
        message: 'Unsupported value: 512: supported values: "256", "384", "521"',
      },
    ],
  ],
  [
    "a certificate with no identity is refused",
    certificate({ dnsNames: undefined }),
    [
      {
        field: "spec",
        rule: "identityMissing",
        message:
          "at least one of commonName (from the commonName field or from a literalSubject), dnsNames, uriSANs, " +
          "ipAddresses, emailSANs or otherNames must be set",
      },
    ],
  ],
  [
    "a duration under one hour is refused",
    certificate({ duration: "59m" }),
    [
      {
        field: "spec.duration",
        rule: "durationBelowMinimum",
        message: "certificate duration must be greater than 1h0m0s",
      },
    ],
  ],
  [
    "renewBefore under five minutes is refused",
    certificate({ renewBefore: "4m" }),
    [
      {
        field: "spec.renewBefore",
        rule: "renewBeforeBelowMinimum",
        message: "certificate renewBefore must be greater than 5m0s",
      },
    ],
  ],
  [
    "renewBefore and renewBeforePercentage together are refused on both fields",
    certificate({ renewBefore: "1h", renewBeforePercentage: 20 }),
    [
      {
        field: "spec.renewBefore",
        rule: "renewBeforeWithPercentage",
        message: "renewBefore and renewBeforePercentage are mutually exclusive and cannot both be set",
      },
      {
        field: "spec.renewBeforePercentage",
        rule: "renewBeforeWithPercentage",
        message: "renewBefore and renewBeforePercentage are mutually exclusive and cannot both be set",
      },
    ],
  ],
  [
    "a percentage of 100 is refused even without a duration (cert-manager skips this check)",
    certificate({ renewBeforePercentage: 100 }),
    [
      {
        field: "spec.renewBeforePercentage",
        rule: "renewBeforePercentageOutOfRange",
        message: "must be greater than 0 and less than 100",
      },
    ],
  ],
  [
    "a percentage whose real renewBefore is under five minutes is refused (1% of 1h is 36s)",
    certificate({ duration: "1h", renewBeforePercentage: 1 }),
    [
      {
        field: "spec.renewBeforePercentage",
        rule: "renewBeforePercentageBelowMinimum",
        message:
          "certificate renewBeforePercentage 1 results in a renewBefore of 36s which is less than the minimum allowed of 5m0s",
      },
    ],
  ],
  [
    "a common name over 64 bytes is refused",
    certificate({ commonName: `${"a".repeat(61)}.com` }),
    [{ field: "spec.commonName", rule: "commonNameTooLong", message: "may not be more than 64 bytes" }],
  ],
  [
    "an IP address that does not parse is refused at its index",
    certificate({ ipAddresses: ["10.0.0.1", "10.0.0.256", "fe80::1"] }),
    [{ field: "spec.ipAddresses[1]", rule: "ipAddressInvalid", message: "invalid IP address" }],
  ],
  [
    "an email address with a display name is refused",
    certificate({ emailAddresses: ["ops@example.com", "Ops <ops@example.com>"] }),
    [
      {
        field: "spec.emailAddresses[1]",
        rule: "emailAddressInvalid",
        message: "invalid email address: make sure the supplied value only contains the email address itself",
      },
    ],
  ],
  [
    "an email address without @ is refused",
    certificate({ emailAddresses: ["ops.example.com"] }),
    [
      {
        field: "spec.emailAddresses[0]",
        rule: "emailAddressInvalid",
        message: "invalid email address: mail: missing @ in addr-spec",
      },
    ],
  ],
  [
    "an unknown key usage is refused",
    certificate({ usages: ["server auth", "web server"] }),
    [{ field: "spec.usages[1]", rule: "usageUnknown", message: "unknown keyusage" }],
  ],
  [
    "a revisionHistoryLimit of zero is refused",
    certificate({ revisionHistoryLimit: 0 }),
    [
      {
        field: "spec.revisionHistoryLimit",
        rule: "revisionHistoryLimitBelowOne",
        message: "must not be less than 1",
      },
    ],
  ],
  [
    "a secretName with an underscore is not a DNS-1123 subdomain",
    certificate({ secretName: "myapp_tls" }),
    [
      {
        field: "spec.secretName",
        rule: "secretNameNotDns1123Subdomain",
        message:
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must " +
          "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
          "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      },
    ],
  ],
  [
    "an empty secretName must be specified",
    certificate({ secretName: "" }),
    [{ field: "spec.secretName", rule: "secretNameMissing", message: "must be specified" }],
  ],
  [
    "an external issuer kind without a group hints at the forgotten group",
    certificate({ issuerRef: { name: "pca", kind: "AWSPCAClusterIssuer" } }),
    [
      {
        field: "spec.issuerRef.kind",
        rule: "issuerRefKindNotSupported",
        message: "must be one of Issuer or ClusterIssuer (did you forget to set spec.issuerRef.group?)",
      },
    ],
  ],
  [
    "a foreign kind in the cert-manager.io group is refused without the hint",
    certificate({ issuerRef: { name: "x", kind: "Vault", group: "cert-manager.io" } }),
    [
      {
        field: "spec.issuerRef.kind",
        rule: "issuerRefKindNotSupported",
        message: "must be one of Issuer or ClusterIssuer",
      },
    ],
  ],
  [
    "an empty issuerRef name must be specified",
    certificate({ issuerRef: { name: "" } }),
    [{ field: "spec.issuerRef.name", rule: "issuerRefNameMissing", message: "must be specified" }],
  ],
  [
    "an ECDSA signature algorithm does not fit the default RSA key",
    certificate({ signatureAlgorithm: "ECDSAWithSHA256" }),
    [
      {
        field: "spec.signatureAlgorithm",
        rule: "signatureAlgorithmNotForKeyAlgorithm",
        message:
          'Unsupported value: "ECDSAWithSHA256": supported values for RSA keys: "SHA256WithRSA", "SHA384WithRSA", "SHA512WithRSA"',
      },
    ],
  ],
  [
    "name constraints on a non-CA certificate are refused",
    certificate({ nameConstraints: { permitted: { dnsDomains: ["example.com"] } } }),
    [
      {
        field: "spec.nameConstraints",
        rule: "nameConstraintsWithoutIsCA",
        message: "isCA should be true when nameConstraints is set",
      },
    ],
  ],
  [
    "a name-constraint IP range must be a CIDR",
    certificate({ isCA: true, nameConstraints: { excluded: { ipRanges: ["10.0.0.0/8", "10.0.0.0"] } } }),
    [
      {
        field: "spec.nameConstraints.excluded.ipRanges[1]",
        rule: "nameConstraintIpRangeInvalid",
        message: "must be a valid CIDR, e.g. 10.0.0.0/8",
      },
    ],
  ],
  [
    "renewal windows with policy Disabled are refused",
    certificate({ renewal: { policy: "Disabled", windows: [{ cron: "0 22 * * *", windowDuration: "4h" }] } }),
    [
      {
        field: "spec.renewal.windows",
        rule: "renewalWindowsWithPolicyDisabled",
        message: "may not be set when renewal policy is Disabled",
      },
    ],
  ],
  [
    "a renewal window cron with six fields is refused",
    certificate({ renewal: { windows: [{ cron: "0 0 22 * * *", windowDuration: "4h" }] } }),
    [
      {
        field: "spec.renewal.windows[0].cron",
        rule: "renewalWindowCronInvalid",
        message: "invalid cron expression: expected exactly 5 fields, found 6: [0 0 22 * * *]",
      },
    ],
  ],
  [
    "a renewal window with an unknown time zone is refused",
    certificate({
      renewal: { windows: [{ cron: "0 22 * * *", windowDuration: "4h", timezone: "Moon/Base" }] },
    }),
    [
      {
        field: "spec.renewal.windows[0].timezone",
        rule: "renewalWindowTimezoneUnknown",
        message: "unknown time zone Moon/Base",
      },
    ],
  ],
  [
    "a duplicate additional output format is refused",
    certificate({ additionalOutputFormats: [{ type: "DER" }, { type: "DER" }] }),
    [
      {
        field: "spec.additionalOutputFormats[1].type",
        rule: "additionalOutputFormatDuplicate",
        message: 'Duplicate value: "DER"',
      },
    ],
  ],
  [
    "a secretTemplate annotation in cert-manager.io/ is refused",
    certificate({ secretTemplate: { annotations: { "cert-manager.io/issuer-name": "x" } } }),
    [
      {
        field: "spec.secretTemplate.annotations[cert-manager.io/issuer-name]",
        rule: "secretTemplateAnnotationReserved",
        message: "cert-manager.io/* annotations are not allowed",
      },
    ],
  ],
  [
    "a keystore with neither password nor passwordSecretRef is refused",
    certificate({ keystores: { pkcs12: { create: true } } }),
    [
      {
        field: "spec.keystores.pkcs12",
        rule: "keystorePasswordNotExactlyOne",
        message: "exactly one of password or passwordSecretRef.name must be set",
      },
    ],
  ],
  [
    "a literalSubject with an unknown attribute type is refused",
    certificate({ literalSubject: "CN=app,FOO=bar" }),
    [
      {
        field: "spec.literalSubject",
        rule: "literalSubjectUnparsable",
        message: 'unknown attribute type "FOO"',
      },
    ],
  ],
  [
    "literalSubject and commonName together are refused",
    certificate({ literalSubject: "CN=app,O=Demo", commonName: "app" }),
    [
      {
        field: "spec.commonName",
        rule: "literalSubjectWithCommonName",
        message: "When providing a `LiteralSubject` no `commonName` may be provided.",
      },
    ],
  ],
  // Issuer webhook rules
  [
    "an issuer with two types is refused on the second",
    issuer({ selfSigned: {}, ca: { secretName: "ca" } }),
    [
      {
        field: "spec.selfSigned",
        rule: "issuerTypeNotUnique",
        message: "may not specify more than one issuer type",
      },
    ],
  ],
  [
    "an issuer with no type is refused",
    issuer({}),
    [{ field: "spec", rule: "issuerTypeMissing", message: "at least one issuer must be configured" }],
  ],
  [
    "a CA issuer needs a secretName",
    issuer({ ca: { secretName: "" } }),
    [{ field: "spec.ca.secretName", rule: "caSecretNameMissing", message: "must be specified" }],
  ],
  [
    "a Vault issuer with Kubernetes auth needs a secretRef or a serviceAccountRef",
    issuer({
      vault: { server: "https://vault.example", path: "pki/sign/web", auth: { kubernetes: { role: "r" } } },
    }),
    [
      {
        field: "spec.vault.auth.kubernetes",
        rule: "vaultKubernetesCredentialsNotExactlyOne",
        message:
          "Required value: please supply one of: secretRef, serviceAccountRef " +
          "(e.g. serviceAccountRef: {name: vault-issuer} for a bound token of that service account)",
      },
    ],
  ],
  [
    "an ACME issuer needs a server",
    issuer(acme({ server: "" })),
    [
      {
        field: "spec.acme.server",
        rule: "acmeServerMissing",
        message: "acme server URL is a required field",
      },
    ],
  ],
  [
    "an ACME solver with both http01 and dns01 is refused",
    issuer(solver({ http01: { ingress: {} }, dns01: { webhook: { groupName: "g", solverName: "s" } } })),
    [
      {
        field: "spec.acme.solvers[0]",
        rule: "solverTypeNotExactlyOne",
        message: "may not specify more than one solver type in a single solver",
      },
    ],
  ],
  [
    "an ACME solver with neither http01 nor dns01 is refused",
    issuer(solver({ selector: { dnsZones: ["example.com"] } })),
    [
      {
        field: "spec.acme.solvers[0]",
        rule: "solverTypeNotExactlyOne",
        message: "no solver type configured",
      },
    ],
  ],
  [
    "a dns01 solver with two providers is refused on the later one",
    issuer(
      solver({ dns01: { route53: {}, digitalocean: { tokenSecretRef: { name: "do", key: "token" } } } }),
    ),
    [
      {
        field: "spec.acme.solvers[0].dns01.digitalocean",
        rule: "dns01ProviderNotExactlyOne",
        message: "may not specify more than one provider type",
      },
    ],
  ],
  [
    "a dns01 solver with no provider is refused",
    issuer(solver({ dns01: { cnameStrategy: "Follow" } })),
    [
      {
        field: "spec.acme.solvers[0].dns01",
        rule: "dns01ProviderNotExactlyOne",
        message: "no DNS01 provider configured",
      },
    ],
  ],
  [
    "an rfc2136 provider needs a nameserver",
    issuer(solver({ dns01: { rfc2136: { nameserver: "" } } })),
    [
      {
        field: "spec.acme.solvers[0].dns01.rfc2136.nameserver",
        rule: "rfc2136NameserverInvalid",
        message: "must be specified",
      },
    ],
  ],
  [
    "an rfc2136 TSIG algorithm outside the four HMACs is refused",
    issuer(solver({ dns01: { rfc2136: { nameserver: "10.0.0.53:53", tsigAlgorithm: "HMACSHA384" } } })),
    [
      {
        field: "spec.acme.solvers[0].dns01.rfc2136.tsigAlgorithm",
        rule: "rfc2136TsigAlgorithmNotSupported",
        message:
          'Unsupported value: "HMACSHA384": supported values: "HMACMD5", "HMACSHA1", "HMACSHA256", "HMACSHA512"',
      },
    ],
  ],
  [
    "a cloudflare API key needs an email",
    issuer(solver({ dns01: { cloudflare: { apiKeySecretRef: { name: "cf", key: "k" } } } })),
    [
      {
        field: "spec.acme.solvers[0].dns01.cloudflare.email",
        rule: "cloudflareEmailMissing",
        message: "email is required when using apiKeySecretRef",
      },
    ],
  ],
  [
    "an http01 ingressClassName must be a DNS-1123 subdomain",
    issuer(solver({ http01: { ingress: { ingressClassName: "Nginx" } } })),
    [
      {
        field: "spec.acme.solvers[0].http01.ingress.ingressClassName",
        rule: "http01IngressClassNameInvalid",
        message:
          "must be a valid IngressClass name: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must " +
          "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
          "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      },
    ],
  ],
  [
    "a negative waitInsteadOfSelfCheck is refused",
    issuer(solver({ http01: { ingress: {} }, waitInsteadOfSelfCheck: "-1m" })),
    [
      {
        field: "spec.acme.solvers[0].waitInsteadOfSelfCheck",
        rule: "waitInsteadOfSelfCheckNegative",
        message: "must not be negative",
      },
    ],
  ],
  // CertificateRequest and core kinds
  [
    "a CertificateRequest whose request is not a PEM CSR is refused",
    certificateRequest({ request: btoa("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n") }),
    [
      {
        field: "spec.request",
        rule: "requestNotPemCsr",
        message: "failed to decode csr: error decoding certificate request PEM block",
      },
    ],
  ],
  [
    "a CertificateRequest with an unknown usage names the CR wording",
    certificateRequest({ usages: ["teleport"] }),
    [{ field: "spec.usages[0]", rule: "usageUnknown", message: "unknown key usages" }],
  ],
  [
    "a TLS Secret without tls.key is refused",
    {
      apiVersion: "v1",
      kind: "Secret",
      type: "kubernetes.io/tls",
      metadata: { name: "s", namespace: "ns" },
      data: { "tls.crt": "LS0t" },
    },
    [
      {
        field: "data[tls.key]",
        rule: "tlsSecretKeyMissing",
        message: "must be present in a kubernetes.io/tls Secret",
      },
    ],
  ],
];

describe("validateResource rejects what cert-manager rejects, with its field paths and messages", () => {
  for (const [sentence, input, expected] of rejections) {
    it(sentence, () => {
      assert.deepEqual(issuesOf(input), expected);
    });
  }

  it("accepts a well-formed CertificateRequest", () => {
    assert.deepEqual(issuesOf(certificateRequest({ usages: ["digital signature", "server auth"] })), []);
  });

  it("accepts ECDSA sizes 256, 384 and 521 and RSA sizes from 2048 to 8192", () => {
    for (const privateKey of [
      { algorithm: "ECDSA", size: 384 },
      { algorithm: "ECDSA", size: 521 },
      { algorithm: "RSA", size: 3072 },
      { algorithm: "RSA", size: 8192 },
      { algorithm: "Ed25519", size: 1 },
    ]) {
      assert.deepEqual(issuesOf(certificate({ privateKey })), [], JSON.stringify(privateKey));
    }
  });

  it("accepts exactly one hour, exactly five minutes of renewBefore, and renewal windows", () => {
    const spec = {
      duration: "1h",
      renewBefore: "5m",
      renewal: {
        policy: "RenewBefore",
        windows: [{ cron: "0 22 * * 1-5", windowDuration: "4h", timezone: "UTC" }],
      },
    };
    assert.deepEqual(issuesOf(certificate(spec)), []);
  });

  it("reports every broken rule at once", () => {
    const issues = issuesOf(certificate({ duration: "30m", usages: ["nope"], revisionHistoryLimit: 0 }));
    assert.deepEqual(
      issues.map((i) => i.rule),
      ["durationBelowMinimum", "usageUnknown", "revisionHistoryLimitBelowOne"],
    );
  });

  it("never echoes Secret data in its messages", () => {
    const issues = issuesOf({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s", namespace: "ns" },
      data: { "tls.key": "-----BEGIN PRIVATE KEY-----" },
    });
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.field, "data[tls.key]");
    assert.doesNotMatch(JSON.stringify(issues), /PRIVATE KEY/);
  });

  it("parseResource throws the same ValidationError", () => {
    assert.throws(
      () => parseResource(certificate({ duration: "30m" })),
      (error: unknown) => error instanceof ValidationError && error.message.startsWith("spec.duration: "),
    );
  });
});

describe("validateResource checks a natsKV SecretTarget", () => {
  const publicKey =
    "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";
  const natsKV = (patch: Patch = {}): unknown => ({
    apiVersion: "certplane.io/v1alpha1",
    kind: "SecretTarget",
    metadata: { name: "edge-kv" },
    spec: {
      natsKV: {
        bucket: "certificates",
        servers: ["nats://127.0.0.1:4222", "tls://nats.example.com:4222"],
        credentialsSecretRef: { name: "edge-nats" },
        recipient: { publicKey },
        ...patch,
      },
    },
  });
  const rule = "natsKVTarget";

  it("accepts a sealed target, and a plaintext one without a recipient", () => {
    assert.deepEqual(issuesOf(natsKV()), []);
    assert.deepEqual(issuesOf(natsKV({ privateKeys: "Plaintext", recipient: undefined })), []);
  });

  it("names a bucket that is not one NATS subject token", () => {
    assert.deepEqual(issuesOf(natsKV({ bucket: "certs.prod" })), [
      {
        field: "spec.natsKV.bucket",
        rule,
        message: "a NATS KV bucket name consists of letters, digits, '-' and '_' (regex '^[-_a-zA-Z0-9]+$')",
      },
    ]);
  });

  it("requires servers, and refuses other schemes and credentials in a URL by index", () => {
    assert.deepEqual(issuesOf(natsKV({ servers: [] })), [
      { field: "spec.natsKV.servers", rule, message: "must name at least one NATS server URL" },
    ]);
    assert.deepEqual(
      issuesOf(
        natsKV({ servers: ["nats://ok:4222", "https://nats:4222", "nats://u:p@nats:4222", "nats"] }),
      ).map((issue) => issue.field),
      ["spec.natsKV.servers[1]", "spec.natsKV.servers[2]", "spec.natsKV.servers[3]"],
    );
    const [credentials] = issuesOf(natsKV({ servers: ["nats://u:secret@nats:4222"] }));
    assert.doesNotMatch(credentials?.message ?? "", /secret/);
  });

  it("requires a recipient when sealing, by default too, and refuses one for Plaintext", () => {
    assert.deepEqual(
      issuesOf(natsKV({ recipient: undefined })).map((issue) => `${issue.field} ${issue.rule}`),
      ["spec.natsKV.recipient natsKVTarget"],
    );
    assert.deepEqual(
      issuesOf(natsKV({ recipient: undefined, privateKeys: "Sealed" })).map((issue) => issue.field),
      ["spec.natsKV.recipient"],
    );
    assert.deepEqual(
      issuesOf(natsKV({ privateKeys: "Plaintext" })).map((issue) => issue.field),
      ["spec.natsKV.recipient"],
    );
    assert.deepEqual(
      issuesOf(natsKV({ privateKeys: "Clear" })).map((issue) => `${issue.field} ${issue.rule}`),
      ["spec.natsKV.privateKeys notSupported"],
    );
  });

  it("refuses a private key pasted as the recipient without echoing it", () => {
    const pasted = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----\n";
    const issues = issuesOf(natsKV({ recipient: { publicKey: pasted } }));
    assert.deepEqual(
      issues.map((issue) => issue.field),
      ["spec.natsKV.recipient.publicKey"],
    );
    assert.match(issues[0]?.message ?? "", /holds a private key/);
    assert.doesNotMatch(JSON.stringify(issues), /MIGHAgEAMBMGByqGSM49/);
    assert.deepEqual(
      issuesOf(natsKV({ recipient: { publicKey: "ssh-ed25519 AAAA" } })).map((issue) => issue.field),
      ["spec.natsKV.recipient.publicKey"],
    );
  });

  it("names a credentials Secret that is not an object name, and a second destination", () => {
    assert.deepEqual(
      issuesOf(natsKV({ credentialsSecretRef: { name: "Edge_Nats" } })).map((issue) => issue.field),
      ["spec.natsKV.credentialsSecretRef.name"],
    );
    const both = natsKV() as { spec: Record<string, unknown> };
    both.spec.file = { directory: "/srv/certs" };
    assert.deepEqual(issuesOf(both), [
      {
        field: "spec",
        rule: "exactlyOneTargetType",
        message:
          "a SecretTarget names one destination, got file and natsKV: write one SecretTarget per destination",
      },
    ]);
  });
});

describe("validateResource checks a vaultKV SecretTarget", () => {
  const vaultKV = (patch: Patch = {}): unknown => ({
    apiVersion: "certplane.io/v1alpha1",
    kind: "SecretTarget",
    metadata: { name: "vault-kv" },
    spec: {
      vaultKV: {
        server: "https://vault.example.com:8200",
        mount: "kv",
        prefix: "teams/web",
        tokenSecretRef: { name: "vault-kv-token" },
        ...patch,
      },
    },
  });

  it("accepts a target with a mount, a prefix and a token Secret", () => {
    assert.deepEqual(issuesOf(vaultKV()), []);
  });

  it("names the server, a path that escapes and a token Secret name that is not an object name", () => {
    assert.deepEqual(
      issuesOf(
        vaultKV({ server: "vault:8200", prefix: "../other", tokenSecretRef: { name: "Bad_Name", key: "" } }),
      ).map((issue) => `${issue.field} ${issue.rule}`),
      [
        "spec.vaultKV.server vaultKVTarget",
        "spec.vaultKV.prefix vaultKVTarget",
        "spec.vaultKV.tokenSecretRef.name vaultKVTarget",
        "spec.vaultKV.tokenSecretRef.key vaultKVTarget",
      ],
    );
  });
});

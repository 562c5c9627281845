import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FieldIssue } from "../errors.ts";
import { plainCsrPem } from "../testing/pem-fixtures.ts";
import { seedManifests } from "../testing/seed-manifests.ts";
import { MAX_SUBJECT_ALTERNATIVE_NAMES } from "./certificate-identity-checks.ts";
import { validateResource } from "./validate-resource.ts";

type Patch = Record<string, unknown>;

/** The seed's application Certificate with `spec` and `metadata` merged over its own. */
function certificate(spec: Patch = {}, metadata: Patch = {}): unknown {
  const seed = seedManifests["RSA application Certificate"] as { metadata: Patch; spec: Patch };
  return { ...seed, metadata: { ...seed.metadata, ...metadata }, spec: { ...seed.spec, ...spec } };
}

const issuer = (spec: Patch) => ({
  apiVersion: "cert-manager.io/v1",
  kind: "ClusterIssuer",
  metadata: { name: "iss" },
  spec,
});

const certificateRequest = (issuerRef: Patch) => ({
  apiVersion: "cert-manager.io/v1",
  kind: "CertificateRequest",
  metadata: { name: "myapp-tls-1", namespace: "demo-apps" },
  spec: {
    request: btoa(plainCsrPem),
    issuerRef,
  },
});

const secret = (stringData: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "s", namespace: "demo-apps" },
  stringData,
});

const issuesOf = (input: unknown): readonly FieldIssue[] => {
  const result = validateResource(input);
  return result.ok ? [] : result.error.issues;
};

const nul = (at: number) => `must not contain control characters (found U+0000 at offset ${at})`;
const notSubdomain = (field: string) => ({
  field,
  rule: "referenceNameNotDns1123Subdomain",
  message:
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', " +
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for " +
    "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
});

const table: Record<string, [string, unknown, FieldIssue[]][]> = {
  identityControlCharacter: [
    [
      "a NUL byte in a DNS name is refused (it was issued before)",
      certificate({ dnsNames: ["ok.example.com", "www.bank.com\u0000.evil.com"] }),
      [{ field: "spec.dnsNames[1]", rule: "identityControlCharacter", message: nul(12) }],
    ],
    [
      "a newline in a URI SAN is refused",
      certificate({ uris: ["spiffe://cluster/ns/x\nforged log line"] }),
      [
        {
          field: "spec.uris[0]",
          rule: "identityControlCharacter",
          message: "must not contain control characters (found U+000A at offset 21)",
        },
      ],
    ],
    [
      "a quoted NUL in an email SAN is refused once, by this rule",
      certificate({ emailAddresses: ['"a\u0000b"@example.com'] }),
      [{ field: "spec.emailAddresses[0]", rule: "identityControlCharacter", message: nul(2) }],
    ],
    [
      "an escape character in the common name is refused",
      certificate({ commonName: "app\u001b[31m" }),
      [
        {
          field: "spec.commonName",
          rule: "identityControlCharacter",
          message: "must not contain control characters (found U+001B at offset 3)",
        },
      ],
    ],
    [
      "a C1 control in an organization is refused with its index",
      certificate({ subject: { organizations: ["Acme", "Ev\u0085il"] } }),
      [
        {
          field: "spec.subject.organizations[1]",
          rule: "identityControlCharacter",
          message: "must not contain control characters (found U+0085 at offset 2)",
        },
      ],
    ],
    [
      "a NUL spelled as an RFC 4514 escape in literalSubject is refused",
      certificate({ literalSubject: "CN=app\\00.evil,O=Acme", commonName: undefined, subject: undefined }),
      [{ field: "spec.literalSubject", rule: "identityControlCharacter", message: nul(3) }],
    ],
    [
      "a control character in an otherName value is refused",
      certificate({ otherNames: [{ oid: "1.3.6.1.4.1.311.20.2.3", utf8Value: "u\u0007@example.com" }] }),
      [
        {
          field: "spec.otherNames[0].utf8Value",
          rule: "identityControlCharacter",
          message: "must not contain control characters (found U+0007 at offset 1)",
        },
      ],
    ],
  ],
  dnsNameNotAscii: [
    [
      "a U-label DNS name is refused with the A-label hint",
      certificate({ dnsNames: ["bücher.example"] }),
      [
        {
          field: "spec.dnsNames[0]",
          rule: "dnsNameNotAscii",
          message: "must be ASCII: write an internationalised name as its A-label (xn--…)",
        },
      ],
    ],
  ],
  subjectAlternativeNamesTooMany: [
    [
      `more than ${MAX_SUBJECT_ALTERNATIVE_NAMES} SANs in total are refused`,
      certificate({
        dnsNames: Array.from({ length: MAX_SUBJECT_ALTERNATIVE_NAMES }, (_, i) => `h${i}.example.com`),
        ipAddresses: ["10.0.0.1"],
      }),
      [
        {
          field: "spec",
          rule: "subjectAlternativeNamesTooMany",
          message:
            "names 101 subject alternative names (dnsNames, ipAddresses, uris, emailAddresses and otherNames " +
            "together); at most 100 are allowed: split them over several Certificates",
        },
      ],
    ],
  ],
  referenceNameNotDns1123Subdomain: [
    [
      "a CA issuer's secretName that no Secret can have is refused",
      issuer({ ca: { secretName: "My CA!" } }),
      [notSubdomain("spec.ca.secretName")],
    ],
    [
      "a Vault token Secret name with a NUL byte is refused",
      issuer({
        vault: {
          server: "https://vault",
          path: "pki/sign/x",
          auth: { tokenSecretRef: { name: "t\u0000k" } },
        },
      }),
      [notSubdomain("spec.vault.auth.tokenSecretRef.name")],
    ],
    [
      "a DNS-01 provider's Secret reference is checked under its solver's path",
      issuer({
        acme: {
          server: "https://acme.example/directory",
          privateKeySecretRef: { name: "account-key" },
          solvers: [{ dns01: { cloudflare: { apiTokenSecretRef: { name: "Token_Secret", key: "t" } } } }],
        },
      }),
      [notSubdomain("spec.acme.solvers[0].dns01.cloudflare.apiTokenSecretRef.name")],
    ],
    [
      "a keystore password Secret name is checked",
      certificate({
        keystores: { pkcs12: { create: true, passwordSecretRef: { name: "../etc", key: "p" } } },
      }),
      [notSubdomain("spec.keystores.pkcs12.passwordSecretRef.name")],
    ],
  ],
  secretDataKeyInvalid: [
    [
      "a key that climbs out of the secret's directory is refused",
      secret({ "../../etc/cron.d/x": "y" }),
      [
        {
          field: "stringData[../../etc/cron.d/x]",
          rule: "secretDataKeyInvalid",
          message:
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or " +
            "'KEY_NAME', or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        },
        {
          field: "stringData[../../etc/cron.d/x]",
          rule: "secretDataKeyInvalid",
          message: "must not start with '..'",
        },
      ],
    ],
    [
      "'..' alone is refused",
      secret({ "..": "y" }),
      [{ field: "stringData[..]", rule: "secretDataKeyInvalid", message: "must not be '..'" }],
    ],
  ],
  labelInvalid: [
    [
      "a label value with a newline is refused",
      certificate({}, { labels: { app: "web\nforged" } }),
      [
        {
          field: "metadata.labels[app]",
          rule: "labelInvalid",
          message:
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and " +
            "must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex " +
            "used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        },
      ],
    ],
  ],
  annotationKeyInvalid: [
    [
      "an annotation key with a NUL byte is refused, the key escaped in the message",
      certificate({}, { annotations: { "a\u0000b": "free text\u001b is allowed in values" } }),
      [
        {
          field: "metadata.annotations",
          rule: "annotationKeyInvalid",
          message:
            "key \"a\\u0000b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start " +
            "and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for " +
            "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        },
      ],
    ],
  ],
  issuerRefNameNotDns1123Subdomain: [
    [
      "a Certificate's issuer name with a slash is refused",
      certificate({ issuerRef: { name: "a/b", kind: "ClusterIssuer" } }),
      [{ ...notSubdomain("spec.issuerRef.name"), rule: "issuerRefNameNotDns1123Subdomain" }],
    ],
    [
      "a CertificateRequest's issuer name with a NUL byte is refused, also for an external group",
      certificateRequest({ name: "x\u0000", kind: "Thing", group: "example.com" }),
      [{ ...notSubdomain("spec.issuerRef.name"), rule: "issuerRefNameNotDns1123Subdomain" }],
    ],
  ],
};

for (const [rule, cases] of Object.entries(table)) {
  describe(rule, () => {
    for (const [name, input, expected] of cases) {
      it(name, () => assert.deepEqual(issuesOf(input), expected));
    }
  });
}

describe("hostile-input rules leave ordinary manifests alone", () => {
  it("accepts exactly the maximum number of SANs, a Unicode organization and a valid keystore Secret", () => {
    assert.deepEqual(
      issuesOf(
        certificate({
          dnsNames: Array.from({ length: MAX_SUBJECT_ALTERNATIVE_NAMES }, (_, i) => `h${i}.example.com`),
          subject: { organizations: ["Ünïcode GmbH"] },
          keystores: { pkcs12: { create: true, passwordSecretRef: { name: "p12-password", key: "p" } } },
        }),
      ),
      [],
    );
  });
});

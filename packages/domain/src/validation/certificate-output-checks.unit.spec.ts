import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type RuleRow, ruleTable } from "../testing/rule-table.ts";
import { validateResource } from "./validate-resource.ts";

function certificate(spec: Record<string, unknown>): unknown {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: "app", namespace: "apps" },
    spec: { secretName: "app-tls", dnsNames: ["app.example"], issuerRef: { name: "ca" }, ...spec },
  };
}

function issuesOf(resource: unknown) {
  const result = validateResource(resource);
  return result.ok ? [] : result.error.issues;
}

describe("what a Certificate's Secret holds: keystores and output formats", () => {
  it("every PKCS#12 profile certplane writes is accepted, with every keystore and format", () => {
    for (const profile of ["LegacyRC2", "LegacyDES", "Modern2023", undefined]) {
      const spec = {
        additionalOutputFormats: [{ type: "DER" }, { type: "CombinedPEM" }],
        keystores: {
          pkcs12: { create: true, password: "p", ...(profile ? { profile } : {}) },
          jks: { create: true, alias: "app", passwordSecretRef: { name: "jks", key: "password" } },
        },
      };
      assert.deepEqual(issuesOf(certificate(spec)), []);
    }
  });

  it("Modern2026 is refused, naming the field and the profiles that work, instead of being written as another", () => {
    const issues = issuesOf(
      certificate({ keystores: { pkcs12: { create: true, password: "p", profile: "Modern2026" } } }),
    );
    assert.deepEqual(issues, [
      {
        field: "spec.keystores.pkcs12.profile",
        rule: "pkcs12ProfileUnsupported",
        message:
          'Unsupported value: "Modern2026": certplane does not write PBMAC1 keystores yet; supported values: "LegacyRC2", "LegacyDES", "Modern2023"',
      },
    ]);
  });
});

const template = (secretTemplate: Record<string, unknown>) => certificate({ secretTemplate });
const qualifiedNameRule =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric " +
  "character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is " +
  "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const secretTemplateRules: Record<string, readonly RuleRow[]> = {
  secretTemplateLabelInvalid: [
    [
      "prefixed keys, an empty value and 63-character values pass",
      template({
        labels: { "app.kubernetes.io/name": "web", tier: "", "team.example/owner": "a".repeat(63) },
      }),
      [],
    ],
    [
      "a key with a space is refused on its name part",
      template({ labels: { "my label": "x" } }),
      [{ field: "spec.secretTemplate.labels[my label]", message: `name part ${qualifiedNameRule}` }],
    ],
    [
      "an uppercase prefix is not a DNS subdomain",
      template({ labels: { "Example.com/x": "y" } }),
      [
        {
          field: "spec.secretTemplate.labels[Example.com/x]",
          message:
            "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or " +
            "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for " +
            "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        },
      ],
    ],
    [
      "an empty prefix and two slashes are refused",
      template({ labels: { "/x": "y", "a/b/c": "y" } }),
      [
        { field: "spec.secretTemplate.labels[/x]", message: "prefix part must be non-empty" },
        {
          field: "spec.secretTemplate.labels[a/b/c]",
          message: `a qualified name ${qualifiedNameRule} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
        },
      ],
    ],
    [
      "a value over 63 characters or ending in '-' is refused",
      template({ labels: { a: "b".repeat(64), c: "d-" } }),
      [
        { field: "spec.secretTemplate.labels[a]", message: "must be no more than 63 characters" },
        {
          field: "spec.secretTemplate.labels[c]",
          message:
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must " +
            "start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used " +
            "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        },
      ],
    ],
  ],
  secretTemplateAnnotationKeyInvalid: [
    [
      "uppercase keys pass (annotation keys are read lowercased) and values are free text",
      template({ annotations: { "Example.com/Owner": "any text: {json} / spaces" } }),
      [],
    ],
    [
      "a key with a colon is refused",
      template({ annotations: { "owner:team": "x" } }),
      [{ field: "spec.secretTemplate.annotations[owner:team]", message: `name part ${qualifiedNameRule}` }],
    ],
  ],
  secretTemplateAnnotationsTooLong: [
    [
      "exactly 256 KiB of keys and values passes",
      template({ annotations: { a: "x".repeat(256 * 1024 - 1) } }),
      [],
    ],
    [
      "one byte more is refused",
      template({ annotations: { a: "x".repeat(256 * 1024) } }),
      [{ field: "spec.secretTemplate.annotations", message: "Too long: must have at most 262144 bytes" }],
    ],
  ],
};

ruleTable(secretTemplateRules);

import assert from "node:assert/strict";
import { describe, it } from "node:test";
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

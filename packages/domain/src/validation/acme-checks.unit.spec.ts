import { caCertificatePem } from "../testing/pem-fixtures.ts";
import { issuerWith, type RuleRow, ruleTable } from "../testing/rule-table.ts";

const acme = (patch: Record<string, unknown>) =>
  issuerWith({
    acme: {
      server: "https://acme.example/directory",
      privateKeySecretRef: { name: "account-key" },
      ...patch,
    },
  });
const http01 = (solver: Record<string, unknown>) => acme({ solvers: [{ http01: solver }] });
const S = "spec.acme.solvers[0]";

const rules: Record<string, readonly RuleRow[]> = {
  acmeCaBundleWithoutCertificate: [
    ["a bundle with one certificate passes", acme({ caBundle: btoa(caCertificatePem) }), []],
    [
      "a bundle with a certificate among junk passes, as Go skips what it cannot parse",
      acme({
        caBundle: btoa(`-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n${caCertificatePem}`),
      }),
      [],
    ],
    [
      "a bundle without a certificate is refused",
      acme({ caBundle: btoa("not a certificate") }),
      [{ field: "spec.acme.caBundle", message: "cert bundle didn't contain any valid certificates" }],
    ],
  ],
  http01GatewayParentRefNameMissing: [
    [
      "a parentRef with a name (kind left to its Gateway default) passes",
      http01({ gatewayHTTPRoute: { parentRefs: [{ name: "gw" }] } }),
      [],
    ],
    [
      "a parentRef with a kind and an empty name is refused",
      http01({ gatewayHTTPRoute: { parentRefs: [{ kind: "Gateway", name: "" }] } }),
      [
        {
          field: `${S}.http01.gatewayHTTPRoute.parentRefs[0].name`,
          message: "name is required when kind is specified",
        },
      ],
    ],
  ],
  // The shape itself: cert-manager accepts an empty serviceType and then uses NodePort.
  notSupported: [
    ["an empty ingress serviceType is accepted", http01({ ingress: { serviceType: "" } }), []],
    ["an empty gateway serviceType is accepted", http01({ gatewayHTTPRoute: { serviceType: "" } }), []],
  ],
};

ruleTable(rules);

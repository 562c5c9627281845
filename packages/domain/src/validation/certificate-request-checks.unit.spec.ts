import {
  caCsrPem,
  escapeCommonNameCsrPem,
  nulDnsNameCsrPem,
  plainCsrPem,
  serverAuthCsrPem,
  tooManySansCsrPem,
} from "../testing/pem-fixtures.ts";
import { type RuleRow, ruleTable } from "../testing/rule-table.ts";

const request = (pem: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: "cert-manager.io/v1",
  kind: "CertificateRequest",
  metadata: { name: "app-1", namespace: "apps" },
  spec: { request: btoa(pem), issuerRef: { name: "ca" }, ...spec },
});
const serverUsages = { usages: ["digital signature", "key encipherment", "server auth"] };
const encoded = (message: string) => [{ field: "spec.request", message: `encoded CSR error: ${message}` }];

const rules: Record<string, readonly RuleRow[]> = {
  csrIsCAMismatch: [
    ["a CA CSR for an isCA request passes", request(caCsrPem, { isCA: true }), []],
    ["a CSR without BasicConstraints passes whatever isCA says", request(plainCsrPem, { isCA: true }), []],
    [
      "a CA CSR for a request that is not isCA is refused",
      request(caCsrPem),
      encoded("IsCA true does not match expected value false"),
    ],
  ],
  csrKeyUsagesMismatch: [
    ["the CSR's key usages equal to spec.usages pass", request(serverAuthCsrPem, serverUsages), []],
    ["isCA's implied cert sign counts as asked for", request(caCsrPem, { isCA: true }), []],
    ["a CSR without usage extensions passes any usages", request(plainCsrPem, { usages: ["crl sign"] }), []],
    [
      "key usages the spec does not ask for are refused, named in bit order",
      request(caCsrPem, { isCA: true, usages: ["digital signature"] }),
      encoded(
        "the KeyUsages [ 'digital signature', 'key encipherment', 'cert sign' ] do not match the expected " +
          "KeyUsages [ 'digital signature', 'cert sign' ]",
      ),
    ],
  ],
  csrExtKeyUsagesMismatch: [
    [
      "signing counts as digital signature",
      request(serverAuthCsrPem, { usages: ["signing", "key encipherment", "server auth"] }),
      [],
    ],
    [
      "an extended usage the spec lacks is refused (the default usages have none)",
      request(serverAuthCsrPem),
      encoded("the ExtKeyUsages [ 'server auth' ] do not match the expected ExtKeyUsages []"),
    ],
    [
      "a CSR with only KeyUsage is compared with the spec's extended usages as none",
      request(caCsrPem, { isCA: true, usages: ["digital signature", "key encipherment", "client auth"] }),
      encoded("the ExtKeyUsages [] do not match the expected ExtKeyUsages [ 'client auth' ]"),
    ],
  ],
  csrNameControlCharacter: [
    ["a CSR whose names are printable passes", request(serverAuthCsrPem, serverUsages), []],
    [
      "a NUL byte inside a DNS SAN is refused, by position and code point, without echoing the name",
      request(nulDnsNameCsrPem),
      [
        {
          field: "spec.request",
          message:
            "the CSR's DNS name (SAN 1) must not contain control characters (found U+0000 at offset 16)",
        },
      ],
    ],
    [
      "an escape byte in the subject's common name is refused",
      request(escapeCommonNameCsrPem),
      [
        {
          field: "spec.request",
          message:
            "the CSR's subject attribute 1 must not contain control characters (found U+001B at offset 3)",
        },
      ],
    ],
  ],
  csrSubjectAlternativeNamesTooMany: [
    ["a CSR with one SAN passes", request(nulDnsNameCsrPem), []],
    [
      "a CSR with 101 SANs is refused",
      request(tooManySansCsrPem),
      [
        {
          field: "spec.request",
          message:
            "the CSR names 101 subject alternative names; at most 100 are allowed: split them over several requests",
        },
      ],
    ],
  ],
};

ruleTable(rules);

const withConditions = (...conditions: { type: string; status: string }[]) => ({
  ...request(plainCsrPem),
  status: { conditions: conditions.map((c) => ({ ...c, reason: "r" })) },
});

ruleTable({
  approvalConditionDuplicate: [
    ["one Approved condition passes", withConditions({ type: "Approved", status: "True" }), []],
    [
      "two Approved conditions are refused",
      withConditions({ type: "Approved", status: "True" }, { type: "Approved", status: "True" }),
      [{ field: "status.conditions", message: 'multiple "Approved" conditions present' }],
    ],
  ],
  approvalConditionNotTrue: [
    [
      "a Denied condition set False is refused",
      withConditions({ type: "Denied", status: "False" }),
      [{ field: "status.conditions.Denied", message: '"Denied" condition may only be set to True' }],
    ],
  ],
  approvedAndDenied: [
    [
      "a Ready condition beside Approved passes",
      withConditions({ type: "Approved", status: "True" }, { type: "Ready", status: "False" }),
      [],
    ],
    [
      "Approved and Denied together are refused",
      withConditions({ type: "Approved", status: "True" }, { type: "Denied", status: "True" }),
      [{ field: "status.conditions", message: "both 'Denied' and 'Approved' conditions cannot coexist" }],
    ],
  ],
});

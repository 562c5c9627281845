import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type CertificateRequestPolicy,
  parseCertificateRequestPolicy,
} from "./certificate-request-policy.ts";
import { policyRules } from "./decide-policy-approval.ts";
import { emptySubject, type RequestedCertificate } from "./requested-certificate.ts";

const day = 24 * 3600 * 1000;

const request: RequestedCertificate = {
  commonName: "web.example.com",
  subject: { ...emptySubject, organizations: ["Example Corp"] },
  dnsNames: ["web.example.com"],
  ipAddresses: [],
  uris: [],
  emailAddresses: [],
  isCA: false,
  usages: ["digital signature", "key encipherment"],
  durationMs: 30 * day,
  privateKey: { algorithm: "RSA", size: 2048 },
};

function policy(spec: Record<string, unknown>): CertificateRequestPolicy {
  return parseCertificateRequestPolicy({
    apiVersion: "policy.cert-manager.io/v1alpha1",
    kind: "CertificateRequestPolicy",
    metadata: { name: "p" },
    spec: { selector: { issuerRef: {} }, ...spec },
  });
}

/** A policy allowing everything `request` asks for; each case narrows one field. */
const allowing = {
  commonName: { value: "*.example.com" },
  dnsNames: { values: ["*.example.com"] },
  usages: ["digital signature", "key encipherment"],
  subject: { organizations: { values: ["Example Corp"] } },
};

interface Case {
  readonly rule: string;
  readonly allowed?: Record<string, unknown>;
  readonly constraints?: Record<string, unknown>;
  readonly request?: Partial<RequestedCertificate>;
  /** The messages of the rule's violations; empty when the rule passes. */
  readonly expected: readonly string[];
}

const cases: readonly Case[] = [
  { rule: "commonNameNotAllowed", expected: [] },
  {
    rule: "commonNameNotAllowed",
    request: { commonName: "web.other.com" },
    expected: ['spec.allowed.commonName.value: Invalid value: "web.other.com": *.example.com'],
  },
  {
    rule: "commonNameNotAllowed",
    allowed: { commonName: { value: "*", required: true } },
    request: { commonName: undefined },
    expected: ["spec.allowed.commonName.required: Required value: true"],
  },
  {
    rule: "commonNameNotAllowed",
    allowed: { commonName: undefined },
    expected: ['spec.allowed.commonName.value: Invalid value: "web.example.com": nil'],
  },
  { rule: "dnsNamesNotAllowed", request: { dnsNames: ["a.b.example.com"] }, expected: [] },
  {
    rule: "dnsNamesNotAllowed",
    request: { dnsNames: ["web.example.com", "evil.other.com"] },
    expected: ['spec.allowed.dnsNames.values: Invalid value: ["evil.other.com"]: *.example.com'],
  },
  {
    rule: "dnsNamesNotAllowed",
    allowed: { dnsNames: { values: ["*.example.com"], required: true } },
    request: { dnsNames: [] },
    expected: ["spec.allowed.dnsNames.required: Required value: true"],
  },
  {
    rule: "ipAddressesNotAllowed",
    request: { ipAddresses: ["10.0.0.1"] },
    expected: ['spec.allowed.ipAddresses.values: Invalid value: ["10.0.0.1"]: nil'],
  },
  {
    rule: "ipAddressesNotAllowed",
    allowed: { ipAddresses: { values: ["10.0.0.*"] } },
    request: { ipAddresses: ["10.0.0.1"] },
    expected: [],
  },
  {
    rule: "urisNotAllowed",
    allowed: { uris: { values: ["spiffe://example.org/ns/*"] } },
    request: { uris: ["spiffe://other.org/x"] },
    expected: [
      'spec.allowed.uris.values: Invalid value: ["spiffe://other.org/x"]: spiffe://example.org/ns/*',
    ],
  },
  {
    rule: "emailAddressesNotAllowed",
    allowed: { emailAddresses: { values: ["*@example.com"] } },
    request: { emailAddresses: ["ops@example.com"] },
    expected: [],
  },
  {
    rule: "emailAddressesNotAllowed",
    request: { emailAddresses: ["ops@example.com"] },
    expected: ['spec.allowed.emailAddresses.values: Invalid value: ["ops@example.com"]: nil'],
  },
  {
    rule: "isCANotAllowed",
    request: { isCA: true },
    expected: ["spec.allowed.isCA: Invalid value: true: false"],
  },
  { rule: "isCANotAllowed", allowed: { isCA: true }, request: { isCA: true }, expected: [] },
  {
    rule: "usagesNotAllowed",
    allowed: { usages: ["digital signature"] },
    expected: ['spec.allowed.usages: Invalid value: ["key encipherment"]: digital signature'],
  },
  {
    rule: "subjectOrganizationsNotAllowed",
    request: { subject: { ...request.subject, organizations: ["Evil Corp"] } },
    expected: ['spec.allowed.subject.organizations.values: Invalid value: ["Evil Corp"]: Example Corp'],
  },
  {
    rule: "subjectCountriesNotAllowed",
    allowed: { subject: { ...allowing.subject, countries: { values: ["DE"], required: true } } },
    expected: ["spec.allowed.subject.countries.required: Required value: true"],
  },
  {
    rule: "subjectSerialNumberNotAllowed",
    request: { subject: { ...request.subject, serialNumber: "42" } },
    expected: ['spec.allowed.subject.serialNumber.value: Invalid value: "42": nil'],
  },
  { rule: "durationBelowMinDuration", constraints: { minDuration: "720h" }, expected: [] },
  {
    rule: "durationBelowMinDuration",
    constraints: { minDuration: "1000h" },
    expected: ['spec.constraints.minDuration: Invalid value: "720h0m0s": 1000h'],
  },
  {
    rule: "durationAboveMaxDuration",
    constraints: { maxDuration: "24h" },
    expected: ['spec.constraints.maxDuration: Invalid value: "720h0m0s": 24h'],
  },
  { rule: "durationAboveMaxDuration", constraints: { maxDuration: "2160h" }, expected: [] },
  {
    rule: "keyAlgorithmNotAllowed",
    constraints: { privateKey: { algorithm: "ECDSA" } },
    expected: ['spec.constraints.privateKey.algorithm: Invalid value: "RSA": ECDSA'],
  },
  {
    rule: "keySizeBelowMinSize",
    constraints: { privateKey: { minSize: 3072 } },
    expected: ["spec.constraints.privateKey.minSize: Invalid value: 2048: 3072"],
  },
  {
    rule: "keySizeAboveMaxSize",
    constraints: { privateKey: { algorithm: "RSA", minSize: 2048, maxSize: 2048 } },
    expected: [],
  },
  {
    rule: "keySizeAboveMaxSize",
    constraints: { privateKey: { maxSize: 1024 } },
    request: { privateKey: { algorithm: "RSA", size: 2048 } },
    expected: ["spec.constraints.privateKey.maxSize: Invalid value: 2048: 1024"],
  },
];

describe("CertificateRequestPolicy rules", () => {
  it("has a case for every rule", () => {
    const covered = new Set(cases.map((c) => c.rule));
    const untested = policyRules
      .map((rule) => rule.name)
      .filter(
        (name) =>
          !covered.has(name) &&
          !/^subject(OrganizationalUnits|Localities|Provinces|StreetAddresses|PostalCodes)NotAllowed$/.test(
            name,
          ),
      );
    assert.deepEqual(untested, []);
  });

  for (const c of cases) {
    const outcome = c.expected.length === 0 ? "passes" : "denies";
    const changed = JSON.stringify({ ...c.allowed, ...c.constraints, ...c.request });
    it(`${c.rule} ${outcome} ${changed}`, () => {
      const rule = policyRules.find((r) => r.name === c.rule);
      assert.ok(rule, `no rule named ${c.rule}`);
      const p = policy({
        allowed: { ...allowing, ...c.allowed },
        ...(c.constraints === undefined ? {} : { constraints: c.constraints }),
      });
      const violations = rule.check(p, { ...request, ...c.request });
      assert.deepEqual(
        violations.map((v) => v.message),
        c.expected,
      );
    });
  }

  it("the subject's other lists are rules of their own, with their own field", () => {
    const p = policy({ allowed: allowing });
    for (const field of [
      "organizationalUnits",
      "localities",
      "provinces",
      "streetAddresses",
      "postalCodes",
    ] as const) {
      const name = `subject${field.charAt(0).toUpperCase()}${field.slice(1)}NotAllowed`;
      const rule = policyRules.find((r) => r.name === name);
      assert.ok(rule, name);
      assert.deepEqual(
        rule.check(p, { ...request, subject: { ...request.subject, [field]: ["x"] } }).map((v) => v.field),
        [`spec.allowed.subject.${field}.values`],
      );
    }
  });
});

import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { describe, it } from "node:test";
import { emptySubject } from "@certplane/domain/approval";
import type { ExistingCertificateRequest } from "@certplane/domain/model";
import { createCsr } from "@certplane/pki";
import { readRequestedCertificate } from "./read-requested-certificate.ts";

function stored(spec: Partial<ExistingCertificateRequest["spec"]>): ExistingCertificateRequest {
  return {
    status: "present",
    meta: {
      name: "web-1",
      namespace: "demo-apps",
      uid: "u",
      generation: 1,
      creationTimestamp: "2026-03-01T10:00:00Z",
    },
    spec: { request: "", issuerRef: { name: "ca" }, ...spec },
    phase: "pending",
    approved: false,
    denied: false,
    conditions: [],
  };
}

describe("what the approver reads from a request for the policies", () => {
  it("reads names, subject, key, usages and duration from the CSR and the spec", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const request = await createCsr(
      {
        subject: { commonName: "web.example.com", organizations: ["Example Corp"] },
        dnsNames: ["web.example.com"],
        ipAddresses: ["10.0.0.1"],
        uris: ["spiffe://example.org/web"],
        emailAddresses: ["ops@example.com"],
      },
      privateKey,
    );
    const reading = readRequestedCertificate(
      stored({ request, duration: "24h", usages: ["digital signature", "server auth"] }),
    );
    assert.ok(reading.ok);
    assert.deepEqual(reading.request, {
      commonName: "web.example.com",
      subject: { ...emptySubject, organizations: ["Example Corp"] },
      dnsNames: ["web.example.com"],
      ipAddresses: ["10.0.0.1"],
      uris: ["spiffe://example.org/web"],
      emailAddresses: ["ops@example.com"],
      isCA: false,
      usages: ["digital signature", "server auth"],
      durationMs: 24 * 3600 * 1000,
      privateKey: { algorithm: "ECDSA", size: 256 },
    });
  });

  it("judges the spec's usages (not the CSR's), as approver-policy does, and cert-manager's 90 days without a duration", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const request = await createCsr({ dnsNames: ["a.example.com"], usages: ["client auth"] }, privateKey);
    const reading = readRequestedCertificate(stored({ request, isCA: true }));
    assert.ok(reading.ok);
    assert.deepEqual(
      [reading.request.usages, reading.request.isCA, reading.request.durationMs],
      [[], true, 90 * 24 * 3600 * 1000],
    );
  });

  it("reports a CSR it cannot decode instead of throwing", () => {
    const reading = readRequestedCertificate(stored({ request: "not a CSR" }));
    assert.equal(reading.ok, false);
  });
});

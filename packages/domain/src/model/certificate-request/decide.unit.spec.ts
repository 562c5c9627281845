// Issuing a CertificateRequest: the certificate, and what the issuer warned about while signing
// (Vault caps a TTL longer than the role's max_ttl, and says so).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { given } from "@certplane/testing";
import { fold } from "../../decider.ts";
import { findCondition } from "../conditions.ts";
import { certificateRequestDecider } from "./decide.ts";
import type { CertificateRequestEvent } from "./events.ts";

const t0 = "2026-01-01T00:00:00.000Z";
const t1 = "2026-01-01T00:00:05.000Z";
const created: CertificateRequestEvent = {
  type: "CertificateRequestCreated",
  data: {
    meta: { name: "web-1", namespace: "apps", uid: "uid-1", generation: 1, creationTimestamp: t0 },
    spec: { request: "csr", issuerRef: { name: "vault", kind: "ClusterIssuer" }, duration: "768h" },
    createdAt: t0,
  },
};
const approved: CertificateRequestEvent = {
  type: "CertificateRequestApproved",
  data: {
    reason: "cert-manager.io",
    message: "Certificate request has been approved by cert-manager.io",
    at: t0,
  },
};
const capped = 'TTL "768h0m0s" is longer than permitted maxTTL "72h0m0s", so maxTTL is being used';

function issuedAfter(events: readonly CertificateRequestEvent[]) {
  const state = fold(certificateRequestDecider, events);
  assert.ok(state.status === "present");
  return state;
}

describe("certificate request decider: issuing", () => {
  it("records the issuer's warnings on the Issued event, and state keeps them", () => {
    const [issued] = given(certificateRequestDecider, [created, approved])
      .when({ type: "IssueCertificateRequest", certificate: "leaf", ca: "root", warnings: [capped], now: t1 })
      .then([
        {
          type: "CertificateRequestIssued",
          data: { certificate: "leaf", ca: "root", warnings: [capped], at: t1 },
        },
      ]);
    const state = issuedAfter([created, approved, issued!]);
    assert.equal(state.phase, "issued");
    assert.deepEqual(state.warnings, [capped]);
    const ready = findCondition(state.conditions, "Ready");
    assert.equal(ready?.status, "True");
    assert.equal(ready?.reason, "Issued");
    assert.equal(
      ready?.message,
      `Certificate fetched from issuer successfully; the issuer warned: ${capped}`,
    );
  });

  it("writes no warnings field when the issuer warned of nothing", () => {
    for (const warnings of [undefined, []]) {
      given(certificateRequestDecider, [created, approved])
        .when({ type: "IssueCertificateRequest", certificate: "leaf", ca: "root", warnings, now: t1 })
        .then([{ type: "CertificateRequestIssued", data: { certificate: "leaf", ca: "root", at: t1 } }]);
    }
  });

  it("folds an Issued event written before warnings were recorded as before", () => {
    const state = issuedAfter([
      created,
      approved,
      { type: "CertificateRequestIssued", data: { certificate: "leaf", ca: "root", at: t1 } },
    ]);
    assert.equal(state.phase, "issued");
    assert.equal(state.warnings, undefined);
    assert.equal(
      findCondition(state.conditions, "Ready")?.message,
      "Certificate fetched from issuer successfully",
    );
  });

  it("ignores an issue for a request not approved or already final", () => {
    given(certificateRequestDecider, [created])
      .when({ type: "IssueCertificateRequest", certificate: "leaf", warnings: [capped], now: t1 })
      .then([]);
    given(certificateRequestDecider, [
      created,
      approved,
      { type: "CertificateRequestIssued", data: { certificate: "leaf", at: t1 } },
    ])
      .when({ type: "IssueCertificateRequest", certificate: "other", warnings: [capped], now: t1 })
      .then([]);
  });
});

// What the issuer warned about while signing (Vault caps a TTL longer than the role's max_ttl) is
// where a cert-manager user looks: the Ready condition, status.warnings, and describe's events.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fold, type RecordedEvent } from "@certplane/domain";
import { type CertificateRequestEvent, certificateRequestDecider, streams } from "@certplane/domain/model";
import { historyEntry } from "./event-history.ts";
import { certificateRequestObject } from "./resource-objects.ts";

const t0 = "2026-01-01T00:00:00.000Z";
const capped = 'TTL "768h0m0s" is longer than permitted maxTTL "72h0m0s", so maxTTL is being used';
const before: CertificateRequestEvent[] = [
  {
    type: "CertificateRequestCreated",
    data: {
      meta: { name: "long-1", namespace: "apps", uid: "uid-1", generation: 1, creationTimestamp: t0 },
      spec: { request: "csr", issuerRef: { name: "vault", kind: "ClusterIssuer" }, duration: "768h" },
      createdAt: t0,
    },
  },
  { type: "CertificateRequestApproved", data: { reason: "cert-manager.io", message: "approved", at: t0 } },
];
const issued = (warnings?: string[]): CertificateRequestEvent => ({
  type: "CertificateRequestIssued",
  data: { certificate: "leaf", ca: "root", ...(warnings ? { warnings } : {}), at: t0 },
});

function rendered(events: readonly CertificateRequestEvent[]) {
  const state = fold(certificateRequestDecider, events);
  assert.ok(state.status === "present");
  return certificateRequestObject(state).status as {
    conditions: { type: string; status: string; reason: string; message: string }[];
    warnings?: string[];
  };
}

function recorded(event: CertificateRequestEvent): RecordedEvent {
  return {
    ...event,
    id: "e-1",
    schemaVersion: 1,
    metadata: { correlationId: "c", causationId: "c", actor: "service:signer", occurredAt: t0 },
    stream: streams.certificateRequest("apps", "long-1"),
    version: 3n,
    position: "3",
    recordedAt: t0,
  };
}

describe("a CertificateRequest the issuer warned about", () => {
  it("shows the warnings in status.warnings and appended to the Ready message", () => {
    const status = rendered([...before, issued([capped])]);
    assert.deepEqual(status.warnings, [capped]);
    const ready = status.conditions.find((c) => c.type === "Ready");
    assert.deepEqual(
      [ready?.status, ready?.reason, ready?.message],
      ["True", "Issued", `Certificate fetched from issuer successfully; the issuer warned: ${capped}`],
    );
  });

  it("renders a request issued without warnings as before", () => {
    const status = rendered([...before, issued()]);
    assert.equal("warnings" in status, false);
    assert.equal(
      status.conditions.find((c) => c.type === "Ready")?.message,
      "Certificate fetched from issuer successfully",
    );
  });

  it("describe's Issued event carries the warning", () => {
    assert.deepEqual(historyEntry(recorded(issued([capped]))), {
      time: t0,
      object: "CertificateRequest apps/long-1",
      event: "CertificateRequestIssued",
      reason: "Issued",
      message: `Certificate fetched from issuer successfully; the issuer warned: ${capped}`,
    });
    assert.equal(historyEntry(recorded(issued())).message, "Certificate fetched from issuer successfully");
  });
});

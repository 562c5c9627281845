// The additions to the Certificate aggregate for renewal: the guarded trigger, the recorded
// renewal and retry times, and readiness that follows time.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fold } from "../decider.ts";
import type { CertificateCommand, CertificateEvent } from "./certificate.ts";
import { certificateDecider, certificateIssuanceDecider } from "./certificate.ts";
import { certificateStatus } from "./certificate-status.ts";

const t0 = "2026-01-01T00:00:00.000Z";
const apply: CertificateCommand = {
  type: "ApplyCertificate",
  name: "web",
  namespace: "default",
  uid: "uid-1",
  spec: { secretName: "web-tls", issuerRef: { name: "ca" } },
  now: t0,
};

function run(commands: readonly CertificateCommand[]): {
  events: CertificateEvent[];
  all: CertificateEvent[];
} {
  const all: CertificateEvent[] = [];
  let events: CertificateEvent[] = [];
  for (const command of commands) {
    const state = fold(certificateDecider, all);
    events = [
      ...(command.type === "ApplyCertificate" || command.type === "DeleteCertificate"
        ? certificateDecider.decide(command, state)
        : certificateIssuanceDecider.decide(command, state)),
    ];
    all.push(...events);
  }
  return { events, all };
}

/** The renewal-scheduler's trigger for a new Certificate. */
const first: CertificateCommand = {
  type: "TriggerIssuance",
  reason: "DoesNotExist",
  message: "Issuing certificate as Secret does not exist",
  now: t0,
};
const issued: CertificateCommand = {
  type: "RecordIssued",
  requestName: "web-1",
  serialNumber: "01",
  notBefore: t0,
  notAfter: "2026-01-01T01:00:00.000Z",
  renewal: { renewalTime: "2026-01-01T00:40:00.000Z" },
  now: t0,
};
const renew = (basedOnRequestCount: number): CertificateCommand => ({
  type: "TriggerIssuance",
  reason: "Renewing",
  message: "renewal was scheduled",
  now: "2026-01-01T00:40:00.000Z",
  basedOnRequestCount,
});

describe("certificate renewal", () => {
  it("records an issuance and the renewal time the scheduler gathered for it in one decision", () => {
    const { events } = run([apply, first, issued]);
    assert.deepEqual(
      events.map((event) => event.type),
      ["CertificateIssued", "RenewalScheduled"],
    );
    assert.deepEqual(events[1]?.data, {
      revision: 1,
      renewalTime: "2026-01-01T00:40:00.000Z",
      scheduledAt: t0,
    });
  });

  it("records only the spec on apply: the trigger is the scheduler's decision", () => {
    const { events } = run([apply]);
    assert.deepEqual(
      events.map((event) => event.type),
      ["CertificateApplied"],
    );
  });

  it("triggers when the guard matches what the caller saw", () => {
    const { events } = run([apply, first, issued, renew(1)]);
    assert.equal(events[0]?.type, "IssuanceTriggered");
  });

  it("ignores a trigger based on a stale request count", () => {
    const failed: CertificateCommand = {
      type: "RecordIssuanceFailed",
      requestName: "web-2",
      reason: "Failed",
      message: "no",
      now: t0,
    };
    const { events } = run([apply, first, issued, renew(1), failed, renew(1)]);
    assert.deepEqual(events, []);
  });

  it("records a renewal time once, and shows it in the status", () => {
    const schedule: CertificateCommand = {
      type: "ScheduleRenewal",
      revision: 1,
      renewalTime: "2026-01-01T00:45:00.000Z",
      now: t0,
    };
    const { all } = run([apply, first, issued, schedule]);
    assert.deepEqual(certificateIssuanceDecider.decide(schedule, fold(certificateDecider, all)), []);
    const state = fold(certificateDecider, all);
    assert.equal(state.status, "active");
    if (state.status !== "active") return;
    assert.equal(certificateStatus(state, new Date(t0)).renewalTime, "2026-01-01T00:45:00.000Z");
  });

  it("shows no renewal time when renewal is disabled", () => {
    const { all } = run([apply, first, issued, { type: "ScheduleRenewal", revision: 1, now: t0 }]);
    const state = fold(certificateDecider, all);
    assert.ok(state.status === "active");
    assert.equal(certificateStatus(state, new Date(t0)).renewalTime, undefined);
  });

  it("shows the next attempt while backing off, and a WindowError in Ready", () => {
    const failed: CertificateCommand = {
      type: "RecordIssuanceFailed",
      requestName: "web-1",
      reason: "Failed",
      message: "no",
      now: t0,
    };
    const retry: CertificateCommand = {
      type: "ScheduleIssuanceRetry",
      requestName: "web-1",
      at: "2026-01-01T01:00:00.000Z",
      now: t0,
    };
    const { all } = run([apply, first, failed, retry]);
    const state = fold(certificateDecider, all);
    assert.ok(state.status === "active");
    const status = certificateStatus(state, new Date(t0));
    assert.equal(status.nextAttemptTime, "2026-01-01T01:00:00.000Z");
    assert.equal(status.failedIssuanceAttempts, 1);

    const windowed = run([
      apply,
      first,
      issued,
      { type: "ScheduleRenewal", revision: 1, renewalTime: t0, windowError: "none fits", now: t0 },
    ]);
    const windowedState = fold(certificateDecider, windowed.all);
    assert.ok(windowedState.status === "active");
    assert.equal(certificateStatus(windowedState, new Date(t0)).conditions[0]?.reason, "WindowError");
  });

  it("is never Ready past notAfter, even while a renewal is stuck", () => {
    const { all } = run([apply, first, issued, renew(1)]);
    const state = fold(certificateDecider, all);
    assert.ok(state.status === "active");
    assert.equal(
      certificateStatus(state, new Date("2026-01-01T00:59:59.000Z")).conditions[0]?.status,
      "True",
    );
    const ready = certificateStatus(state, new Date("2026-01-01T01:00:00.000Z")).conditions[0];
    assert.equal(ready?.status, "False");
    assert.equal(ready?.reason, "Expired");
  });
});

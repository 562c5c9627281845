// The additions to the Certificate aggregate for renewal: the guarded trigger, the recorded
// renewal and retry times, and readiness that follows time.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { given } from "@certplane/testing";
import { type Decider, fold } from "../../decider.ts";
import type { CertificateCommand } from "./commands.ts";
import { certificateDecider } from "./decide.ts";
import { certificateIssuanceDecider } from "./decide-issuance.ts";
import type { CertificateEvent } from "./events.ts";
import type { ActiveCertificate, CertificateState } from "./state.ts";
import { certificateStatus } from "./status.ts";

/**
 * Intake's and the renewal-scheduler's deciders as one, so a spec can follow a Certificate's whole
 * life: they share one state and one evolve, and differ only in which writer sends which command.
 */
const certificate: Decider<CertificateCommand, CertificateEvent, CertificateState> = {
  initialState: certificateDecider.initialState,
  evolve: certificateDecider.evolve,
  decide: (command, state) =>
    command.type === "ApplyCertificate" || command.type === "DeleteCertificate"
      ? certificateDecider.decide(command, state)
      : certificateIssuanceDecider.decide(command, state),
};

/** Readiness is computed from state, so the status tests fold the events they were given or decided. */
function activeAfter(events: readonly CertificateEvent[]): ActiveCertificate {
  const state = fold(certificate, events);
  assert.ok(state.status === "active");
  return state;
}

const t0 = "2026-01-01T00:00:00.000Z";
const spec = { secretName: "web-tls", issuerRef: { name: "ca" } };
const apply: CertificateCommand = {
  type: "ApplyCertificate",
  name: "web",
  namespace: "default",
  uid: "uid-1",
  spec,
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

const applied: CertificateEvent = {
  type: "CertificateApplied",
  data: {
    meta: { name: "web", namespace: "default", uid: "uid-1", generation: 1, creationTimestamp: t0 },
    spec,
    appliedAt: t0,
  },
};
/** The renewal-scheduler's trigger for a new Certificate. */
const firstTriggered: CertificateEvent = {
  type: "IssuanceTriggered",
  data: {
    revision: 1,
    requestName: "web-1",
    reason: "DoesNotExist",
    message: "Issuing certificate as Secret does not exist",
    generation: 1,
    triggeredAt: t0,
  },
};
const certificateIssued: CertificateEvent = {
  type: "CertificateIssued",
  data: {
    revision: 1,
    requestName: "web-1",
    serialNumber: "01",
    notBefore: t0,
    notAfter: "2026-01-01T01:00:00.000Z",
    issuedAt: t0,
  },
};
const renewalScheduled: CertificateEvent = {
  type: "RenewalScheduled",
  data: { revision: 1, renewalTime: "2026-01-01T00:40:00.000Z", scheduledAt: t0 },
};
/** A Certificate issued once, valid for an hour, due for renewal at 00:40. */
const issuedOnce = [applied, firstTriggered, certificateIssued, renewalScheduled];
const renewalTriggered: CertificateEvent = {
  type: "IssuanceTriggered",
  data: {
    revision: 2,
    requestName: "web-2",
    reason: "Renewing",
    message: "renewal was scheduled",
    generation: 1,
    triggeredAt: "2026-01-01T00:40:00.000Z",
  },
};
const failed = (revision: number, requestName: string): CertificateEvent => ({
  type: "IssuanceFailed",
  data: { revision, requestName, reason: "Failed", message: "no", failedIssuanceAttempts: 1, failedAt: t0 },
});

describe("certificate renewal", () => {
  it("records an issuance and the renewal time the scheduler gathered for it in one decision", () => {
    given(certificate, [applied, firstTriggered]).when(issued).then([certificateIssued, renewalScheduled]);
  });

  it("records only the spec on apply: the trigger is the scheduler's decision", () => {
    given(certificate).when(apply).then([applied]);
  });

  it("triggers when the guard matches what the caller saw", () => {
    given(certificate, issuedOnce).when(renew(1)).then([renewalTriggered]);
  });

  it("ignores a trigger based on a stale request count", () => {
    given(certificate, [...issuedOnce, renewalTriggered, failed(2, "web-2")])
      .when(renew(1))
      .then([]);
  });

  it("records a renewal time once, and shows it in the status", () => {
    const schedule: CertificateCommand = {
      type: "ScheduleRenewal",
      revision: 1,
      renewalTime: "2026-01-01T00:45:00.000Z",
      now: t0,
    };
    const recorded = given(certificate, issuedOnce)
      .when(schedule)
      .then([
        {
          type: "RenewalScheduled",
          data: { revision: 1, renewalTime: "2026-01-01T00:45:00.000Z", scheduledAt: t0 },
        },
      ]);
    const history = [...issuedOnce, ...recorded];
    given(certificate, history).when(schedule).then([]);
    assert.equal(
      certificateStatus(activeAfter(history), new Date(t0)).renewalTime,
      "2026-01-01T00:45:00.000Z",
    );
  });

  it("shows no renewal time when renewal is disabled", () => {
    const recorded = given(certificate, issuedOnce)
      .when({ type: "ScheduleRenewal", revision: 1, now: t0 })
      .then([{ type: "RenewalScheduled", data: { revision: 1, scheduledAt: t0 } }]);
    const state = activeAfter([...issuedOnce, ...recorded]);
    assert.equal(certificateStatus(state, new Date(t0)).renewalTime, undefined);
  });

  it("shows the next attempt while backing off, and a WindowError in Ready", () => {
    const backingOff = [applied, firstTriggered, failed(1, "web-1")];
    const retry = given(certificate, backingOff)
      .when({ type: "ScheduleIssuanceRetry", requestName: "web-1", at: "2026-01-01T01:00:00.000Z", now: t0 })
      .then([
        {
          type: "IssuanceRetryScheduled",
          data: { requestName: "web-1", at: "2026-01-01T01:00:00.000Z", scheduledAt: t0 },
        },
      ]);
    const status = certificateStatus(activeAfter([...backingOff, ...retry]), new Date(t0));
    assert.equal(status.nextAttemptTime, "2026-01-01T01:00:00.000Z");
    assert.equal(status.failedIssuanceAttempts, 1);

    const windowed = given(certificate, issuedOnce)
      .when({ type: "ScheduleRenewal", revision: 1, renewalTime: t0, windowError: "none fits", now: t0 })
      .then([
        {
          type: "RenewalScheduled",
          data: { revision: 1, renewalTime: t0, windowError: "none fits", scheduledAt: t0 },
        },
      ]);
    const windowedState = activeAfter([...issuedOnce, ...windowed]);
    assert.equal(certificateStatus(windowedState, new Date(t0)).conditions[0]?.reason, "WindowError");
  });

  it("is never Ready past notAfter, even while a renewal is stuck", () => {
    const state = activeAfter([...issuedOnce, renewalTriggered]);
    assert.equal(
      certificateStatus(state, new Date("2026-01-01T00:59:59.000Z")).conditions[0]?.status,
      "True",
    );
    const ready = certificateStatus(state, new Date("2026-01-01T01:00:00.000Z")).conditions[0];
    assert.equal(ready?.status, "False");
    assert.equal(ready?.reason, "Expired");
  });
});

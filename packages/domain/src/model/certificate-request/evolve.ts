import type { StoredCondition } from "../conditions.ts";
import { setCondition } from "../conditions.ts";
import type { CertificateRequestEvent, ConditionChange } from "./events.ts";
import { issuedMessage } from "./events.ts";
import type { CertificateRequestState } from "./state.ts";

function condition(type: string, status: StoredCondition["status"], data: ConditionChange): StoredCondition {
  return { type, status, reason: data.reason, message: data.message, lastTransitionTime: data.at };
}

export function evolveCertificateRequest(
  state: CertificateRequestState,
  event: CertificateRequestEvent,
): CertificateRequestState {
  if (event.type === "CertificateRequestCreated") {
    const { meta, spec, createdAt } = event.data;
    return {
      status: "present",
      meta,
      spec,
      phase: "pending",
      approved: false,
      denied: false,
      conditions: [
        {
          type: "Ready",
          status: "False",
          reason: "Pending",
          message: "Waiting on certificate issuance from order",
          lastTransitionTime: createdAt,
        },
      ],
    };
  }
  if (state.status === "absent") return state;
  switch (event.type) {
    case "CertificateRequestApproved":
      return {
        ...state,
        approved: true,
        conditions: setCondition(state.conditions, condition("Approved", "True", event.data)),
      };
    case "CertificateRequestDenied": {
      const conditions = setCondition(state.conditions, condition("Denied", "True", event.data));
      return {
        ...state,
        denied: true,
        phase: "denied",
        failureTime: event.data.at,
        conditions: setCondition(
          conditions,
          condition("Ready", "False", { ...event.data, reason: "Denied" }),
        ),
      };
    }
    case "CertificateRequestPending":
      return {
        ...state,
        conditions: setCondition(
          state.conditions,
          condition("Ready", "False", { ...event.data, reason: "Pending" }),
        ),
      };
    case "CertificateRequestMarkedInvalid": {
      const conditions = setCondition(state.conditions, condition("InvalidRequest", "True", event.data));
      return {
        ...state,
        phase: "invalid",
        failureTime: event.data.at,
        conditions: setCondition(
          conditions,
          condition("Ready", "False", { ...event.data, reason: "Failed" }),
        ),
      };
    }
    case "CertificateRequestFailed":
      return {
        ...state,
        phase: "failed",
        failureTime: event.data.at,
        conditions: setCondition(
          state.conditions,
          condition("Ready", "False", { ...event.data, reason: "Failed" }),
        ),
      };
    case "CertificateRequestIssued":
      return {
        ...state,
        phase: "issued",
        certificate: event.data.certificate,
        ...(event.data.ca ? { ca: event.data.ca } : {}),
        ...(event.data.warnings?.length ? { warnings: event.data.warnings } : {}),
        conditions: setCondition(
          state.conditions,
          condition("Ready", "True", {
            reason: "Issued",
            message: issuedMessage(event.data.warnings),
            at: event.data.at,
          }),
        ),
      };
    case "CertificateRequestDeleted":
      return { ...state, status: "deleted" };
  }
}

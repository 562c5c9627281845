import type { Decider } from "../../decider.ts";
import { ValidationError } from "../../errors.ts";
import type { CertificateRequestCommand } from "./commands.ts";
import type { CertificateRequestEvent, ConditionChange } from "./events.ts";
import { evolveCertificateRequest } from "./evolve.ts";
import { recreateIssues } from "./recreate-rules.ts";
import type { CertificateRequestState } from "./state.ts";
import { initialCertificateRequestState, isFinal, requireRequest } from "./state.ts";

function change(command: { reason: string; message: string; now: string }): ConditionChange {
  return { reason: command.reason, message: command.message, at: command.now };
}

function decideCertificateRequest(
  command: CertificateRequestCommand,
  state: CertificateRequestState,
): CertificateRequestEvent[] {
  switch (command.type) {
    case "CreateCertificateRequest": {
      if (state.status === "present") {
        if (command.ifAbsent) return [];
        // An identical create is a retry; anything else is an update cert-manager refuses.
        const issues = recreateIssues(state, command);
        if (issues.length === 0) return [];
        throw new ValidationError(issues);
      }
      return [
        {
          type: "CertificateRequestCreated",
          data: { meta: command.meta, spec: command.spec, createdAt: command.now },
        },
      ];
    }
    case "ApproveCertificateRequest": {
      const request = requireRequest(state);
      if (request.approved || request.denied) return [];
      return [{ type: "CertificateRequestApproved", data: change(command) }];
    }
    case "DenyCertificateRequest": {
      const request = requireRequest(state);
      if (request.approved || request.denied) return [];
      return [{ type: "CertificateRequestDenied", data: change(command) }];
    }
    case "MarkCertificateRequestPending": {
      const request = requireRequest(state);
      if (isFinal(request)) return [];
      const ready = request.conditions.find((c) => c.type === "Ready");
      if (ready?.reason === "Pending" && ready.message === command.message) return [];
      return [{ type: "CertificateRequestPending", data: change(command) }];
    }
    case "MarkCertificateRequestInvalid": {
      const request = requireRequest(state);
      if (isFinal(request)) return [];
      return [{ type: "CertificateRequestMarkedInvalid", data: change(command) }];
    }
    case "FailCertificateRequest": {
      const request = requireRequest(state);
      if (isFinal(request)) return [];
      return [{ type: "CertificateRequestFailed", data: change(command) }];
    }
    case "IssueCertificateRequest": {
      const request = requireRequest(state);
      if (isFinal(request) || !request.approved) return [];
      return [
        {
          type: "CertificateRequestIssued",
          data: {
            certificate: command.certificate,
            ...(command.ca ? { ca: command.ca } : {}),
            ...(command.warnings?.length ? { warnings: [...command.warnings] } : {}),
            at: command.now,
          },
        },
      ];
    }
    case "DeleteCertificateRequest":
      requireRequest(state);
      return [{ type: "CertificateRequestDeleted", data: { at: command.now } }];
  }
}

export const certificateRequestDecider: Decider<
  CertificateRequestCommand,
  CertificateRequestEvent,
  CertificateRequestState
> = {
  initialState: initialCertificateRequestState,
  decide: decideCertificateRequest,
  evolve: evolveCertificateRequest,
};

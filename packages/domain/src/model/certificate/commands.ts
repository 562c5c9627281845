import type { CertificateSpec } from "../../resources/certificate.ts";
import type { ApplyInput } from "../resource-lifecycle.ts";
import type { IssuanceTriggerReason } from "./events.ts";

/** What users assert about a Certificate: intake's commands on `certificate-…`. */
export type CertificateSpecCommand =
  | ({ readonly type: "ApplyCertificate" } & ApplyInput<CertificateSpec>)
  | { readonly type: "DeleteCertificate"; readonly now: string };

/** The renewal-scheduler's commands on `certificateIssuance-…`, some sent by other services. */
export type CertificateIssuanceCommand =
  | {
      readonly type: "TriggerIssuance";
      readonly reason: IssuanceTriggerReason;
      readonly message: string;
      readonly now: string;
      /**
       * Guard for automatic triggers: the requestCount the caller saw. When another trigger happened
       * since (a second scheduler instance, a late timer), the command changes nothing.
       */
      readonly basedOnRequestCount?: number;
    }
  | {
      readonly type: "ScheduleRenewal";
      readonly revision: number;
      readonly renewalTime?: string;
      readonly windowError?: string;
      readonly now: string;
    }
  | {
      readonly type: "ScheduleIssuanceRetry";
      readonly requestName: string;
      readonly at: string;
      readonly now: string;
    }
  | {
      readonly type: "RecordIssued";
      readonly requestName: string;
      readonly serialNumber: string;
      readonly notBefore: string;
      readonly notAfter: string;
      /**
       * The renewal of this revision, gathered by the scheduler from the one renewal-time function
       * before deciding, so the issuance and its renewal are one commit.
       */
      readonly renewal?: { readonly renewalTime?: string; readonly windowError?: string };
      readonly now: string;
    }
  | {
      readonly type: "RecordIssuanceFailed";
      readonly requestName: string;
      readonly reason: string;
      readonly message: string;
      readonly now: string;
    };

export type CertificateCommand = CertificateSpecCommand | CertificateIssuanceCommand;

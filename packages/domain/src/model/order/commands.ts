import type { AcmeFailureStatus, AcmeProblem, AcmeStatus } from "../acme-problem.ts";
import type { OrderAuthorization, OrderMeta, OrderSpecFields } from "./events.ts";

export type OrderCommand =
  | {
      readonly type: "CreateOrder";
      readonly meta: OrderMeta;
      readonly spec: OrderSpecFields;
      readonly now: string;
    }
  | {
      readonly type: "RecordOrderPlaced";
      readonly url: string;
      readonly finalizeURL: string;
      readonly authorizationURLs: readonly string[];
      readonly state: AcmeStatus;
      readonly now: string;
    }
  | {
      readonly type: "RecordOrderAuthorizations";
      readonly authorizations: readonly OrderAuthorization[];
      readonly now: string;
    }
  | { readonly type: "RecordOrderFinalized"; readonly state: AcmeStatus; readonly now: string }
  | { readonly type: "RecordOrderCertificate"; readonly certificate: string; readonly now: string }
  | {
      readonly type: "FailOrder";
      readonly state: AcmeFailureStatus;
      /** What went wrong, for a person; the problem's detail is appended when there is one. */
      readonly reason: string;
      readonly problem?: AcmeProblem;
      readonly now: string;
    };

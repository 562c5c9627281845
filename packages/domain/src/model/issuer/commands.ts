import type { ConditionStatus } from "../../resources/condition.ts";
import type { ApplyInput } from "../resource-lifecycle.ts";
import type { AcmeAccountStatus, IssuerSpecFields } from "./events.ts";

/** What users assert about an issuer: intake's commands on `issuer-…`/`clusterIssuer-…`. */
export type IssuerCommand =
  | ({ readonly type: "ApplyIssuer" } & ApplyInput<IssuerSpecFields>)
  | { readonly type: "DeleteIssuer"; readonly now: string };

/** What the issuer's backends found: the signer's commands on the companion status stream. */
export type IssuerStatusCommand =
  | {
      readonly type: "SetIssuerReadiness";
      readonly status: ConditionStatus;
      readonly reason: string;
      readonly message: string;
      /** The generation the check looked at; a stale check must not overwrite a newer one. */
      readonly generation: number;
      readonly now: string;
    }
  | ({ readonly type: "RecordAcmeAccount" } & AcmeAccountStatus & { readonly now: string });

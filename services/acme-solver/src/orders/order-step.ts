import type {
  AcmeFailureStatus,
  AcmeProblem,
  ChallengeMeta,
  ChallengeSpecFields,
  OrderAuthorization,
  OrderChallengeOffer,
} from "@certplane/domain/model";
import type { AcmeIdentifier } from "../acme-client.ts";

// What a pass over an Order does next, as nextOrderStep decides it; execute-order-step.ts has one
// executor per kind. A step carries everything its executor needs except the clock and the ACME
// account, so that the decision is a pure function.

export type OrderStep =
  | { readonly kind: "requestNotPending" }
  | { readonly kind: "settleRequest"; readonly outcome: RequestOutcome }
  | { readonly kind: "issuerMissing"; readonly message: string }
  | {
      readonly kind: "place";
      readonly identifiers: readonly AcmeIdentifier[];
      /** notAfter is this long after the newOrder call; only with the issuer's duration feature. */
      readonly lifetimeMs?: number;
    }
  | { readonly kind: "fetchAuthorizations"; readonly urls: readonly string[] }
  | { readonly kind: "recordAuthorizations"; readonly authorizations: readonly OrderAuthorization[] }
  | {
      readonly kind: "failOrder";
      readonly state: AcmeFailureStatus;
      readonly reason: string;
      readonly problem?: AcmeProblem;
    }
  | {
      readonly kind: "createChallenge";
      readonly meta: ChallengeMeta;
      /** The key authorization is left to the executor: it needs the account key. */
      readonly spec: Omit<ChallengeSpecFields, "key">;
      readonly offer: OrderChallengeOffer;
    }
  | { readonly kind: "waitForChallenges"; readonly message: string }
  | { readonly kind: "fetchOrder"; readonly url: string }
  | { readonly kind: "poll" }
  | { readonly kind: "finalize"; readonly finalizeUrl: string; readonly csr: string }
  | { readonly kind: "recordFinalized"; readonly state: "processing" | "valid" }
  | { readonly kind: "download"; readonly certificateUrl: string; readonly preferredChain?: string };

/** The signer command that settles the request, without its time. */
export type RequestOutcome =
  | { readonly type: "IssueCertificateRequest"; readonly certificate: string }
  | { readonly type: "FailCertificateRequest"; readonly reason: "OrderFailed"; readonly message: string };

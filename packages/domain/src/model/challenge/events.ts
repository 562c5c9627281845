import type { AcmeChallengeSolver } from "../../resources/acme-solver.ts";
import type { IssuerReference } from "../../resources/references.ts";
import type { AcmeFailure } from "../acme-problem.ts";

export type ChallengeKind = "HTTP-01" | "DNS-01";

/** A snapshot taken when the Order made the Challenge; immutable (model §4). */
export interface ChallengeSpecFields {
  readonly url: string;
  readonly authorizationURL: string;
  /** Without the `*.` of a wildcard identifier. */
  readonly dnsName: string;
  readonly wildcard: boolean;
  readonly type: ChallengeKind;
  readonly token: string;
  /** HTTP-01: the key authorization `token.thumbprint`; DNS-01: base64url(SHA-256) of it. Not secret. */
  readonly key: string;
  readonly solver: AcmeChallengeSolver;
  readonly issuerRef: IssuerReference;
}

export interface ChallengeMeta {
  readonly namespace: string;
  readonly name: string;
  readonly orderName: string;
}

export type ChallengeEvent =
  | {
      readonly type: "ChallengeCreated";
      readonly data: {
        readonly meta: ChallengeMeta;
        readonly spec: ChallengeSpecFields;
        readonly createdAt: string;
      };
    }
  | { readonly type: "ChallengePresented"; readonly data: { readonly at: string } }
  | { readonly type: "ChallengeSelfCheckPassed"; readonly data: { readonly at: string } }
  | { readonly type: "ChallengeAccepted"; readonly data: { readonly at: string } }
  | { readonly type: "ChallengeValidated"; readonly data: { readonly at: string } }
  | {
      readonly type: "ChallengeFailed";
      readonly data: AcmeFailure;
    }
  | { readonly type: "ChallengeCleanedUp"; readonly data: { readonly at: string } };

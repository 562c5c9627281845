import type { AcmeChallengeSolver } from "@certplane/domain";
import type { ChallengeState, ExistingOrder, RequestPhase } from "@certplane/domain/model";
import type { AcmeAuthorizationResource, AcmeOrderResource } from "../acme-client.ts";

// The facts one pass over an Order decides on, gathered beforehand into a plain record
// (gather-order.ts); the server's answers are added as the pass fetches them.

export interface OrderIssuerFacts {
  readonly solvers: readonly AcmeChallengeSolver[];
  /** As written in the spec: "" like undefined asks for the server's default chain. */
  readonly preferredChain: string | undefined;
}

export interface OrderStepInput {
  readonly order: ExistingOrder;
  /** Undefined when the CertificateRequest does not exist or was deleted. */
  readonly requestPhase: RequestPhase | undefined;
  /** Undefined when the issuerRef names no active ACME issuer. */
  readonly issuer: OrderIssuerFacts | undefined;
  /** The Challenge each pending authorization is planned to have (challenge-plan.ts), by name, as stored. */
  readonly challenges: ReadonlyMap<string, ChallengeState>;
  /** The server's authorizations, once this pass has fetched them. */
  readonly authorizations?: readonly AcmeAuthorizationResource[];
  /** The server's order, once this pass has fetched it. */
  readonly current?: AcmeOrderResource;
}

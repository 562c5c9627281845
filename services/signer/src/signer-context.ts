import type { AggregateRunner, Logger } from "@certplane/runtime";
import type { Signers } from "./issuer-view.ts";
import type { IssuerSecretIndex } from "./readiness/issuer-secret-index.ts";
import type { OpenRequestIndex } from "./signing/open-request-index.ts";

/** What the signer's handlers share, built once by startSignerService. */
export interface SignerContext {
  /** Runs deciders on the streams the signer owns: requests and issuer status. */
  readonly runner: AggregateRunner;
  /** The actor of the signer's automatic work. */
  readonly actor: string;
  readonly signers: Signers;
  readonly clusterResourceNamespace: string;
  readonly maxDurationMs: number | undefined;
  readonly issuersBySecret: IssuerSecretIndex;
  readonly openRequests: OpenRequestIndex;
  /** Whether this instance works `requestStream` now: always, unless instances share the work. */
  readonly owns: (requestStream: string) => boolean;
  readonly logger: Logger;
}

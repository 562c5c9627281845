import type { AcmeDns01Solver } from "@certplane/domain";
import type { Dns01Provider, PropagationChecker } from "./dns/dns01-provider.ts";

export interface Dns01IssuerContext {
  readonly secretNamespace: string;
  /** cert-manager lets only ClusterIssuers use the controller's ambient cloud credentials by default. */
  readonly clusterIssuer?: boolean;
}

/** Builds DNS-01 providers from a solver's spec (credentials are read from the issuer's namespace). */
export interface Dns01Support {
  providerFor(solver: AcmeDns01Solver, context: Dns01IssuerContext): Promise<Dns01Provider>;
  propagationChecker(solver: AcmeDns01Solver): PropagationChecker;
}

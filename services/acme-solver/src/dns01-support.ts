import type { AcmeDns01Solver } from "@certplane/domain";
import type { Dns01Provider, PropagationChecker } from "./dns/dns01-provider.ts";

/** Builds DNS-01 providers from a solver's spec (credentials are read from the issuer's namespace). */
export interface Dns01Support {
  providerFor(solver: AcmeDns01Solver, context: { readonly secretNamespace: string }): Promise<Dns01Provider>;
  propagationChecker(solver: AcmeDns01Solver): PropagationChecker;
}

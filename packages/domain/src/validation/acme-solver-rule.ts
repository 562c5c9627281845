// Solver rules read one solver at a time; these lift them to the issuer, each solver with its path.
import type { AcmeChallengeSolver, AcmeDns01Solver } from "../resources/acme-solver.ts";
import type { HasIssuerSpec } from "./has-issuer-spec.ts";
import type { PolicyCheck, Violation } from "./policy-check.ts";

/** Runs a rule over every solver, giving it the solver's own path (`spec.acme.solvers[i]`). */
export function eachSolver(
  name: string,
  rule: (solver: AcmeChallengeSolver, path: string) => Violation[],
): PolicyCheck<HasIssuerSpec> {
  return {
    name,
    check: ({ spec }) =>
      (spec.acme?.solvers ?? []).flatMap((solver, i) => rule(solver, `spec.acme.solvers[${i}]`)),
  };
}

/** Runs a rule over every dns01 solver, with the path `spec.acme.solvers[i].dns01`. */
export function eachDns01(
  name: string,
  rule: (dns01: AcmeDns01Solver, path: string) => Violation[],
): PolicyCheck<HasIssuerSpec> {
  return eachSolver(name, (solver, path) => (solver.dns01 ? rule(solver.dns01, `${path}.dns01`) : []));
}

import type { Logger } from "@certplane/runtime";

export interface AcmeSolverServiceDependencies {
  readonly logger: Logger;
}

/** The acme-solver solves ACME orders and challenges (issue 5: not built yet; the process runs and stays idle). */
export async function startAcmeSolverService(
  deps: AcmeSolverServiceDependencies,
): Promise<{ stop(): Promise<void> }> {
  deps.logger.debug("acme-solver has no handlers yet");
  return { stop: async () => {} };
}

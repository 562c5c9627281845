import type { Clock, RecordedEvent } from "@certplane/domain";
import type { AggregateRunner, CommandContext, Logger } from "@certplane/runtime";
import { contextFromEvent } from "@certplane/runtime";
import type { AcmeAccounts } from "./acme-accounts.ts";
import type { AcmeSolverConfig } from "./config.ts";
import type { Dns01Support } from "./dns01-support.ts";

/** What handlers and reconcilers share; built once by the service. */
export interface SolverContext {
  readonly runner: AggregateRunner;
  readonly clock: Clock;
  readonly accounts: AcmeAccounts;
  readonly config: AcmeSolverConfig;
  readonly logger: Logger;
  readonly dns01: Dns01Support | undefined;
  readonly newId: () => string;
}

export const ACTOR = "acme-solver";

/** Work continues the correlation of the event that woke it; work without one starts its own. */
export function causedBy(ctx: SolverContext, cause: RecordedEvent | undefined): CommandContext {
  if (cause) return contextFromEvent(cause, ACTOR);
  const id = ctx.newId();
  return { correlationId: id, causationId: id, actor: ACTOR };
}

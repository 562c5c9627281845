import type { Clock, RecordedEvent } from "@certplane/domain";
import type { AggregateRunner, CommandContext, Logger, OwnerCommandSender } from "@certplane/runtime";
import { contextFromEvent, startedContext } from "@certplane/runtime";
import type { AcmeAccounts } from "./accounts/acme-accounts.ts";
import type { AcmeSolverConfig } from "./config.ts";
import type { Dns01Support } from "./dns01-support.ts";

/** What handlers and reconcilers share; built once by the service. */
export interface SolverContext {
  /** Runs deciders on the streams the acme-solver owns: Orders and Challenges. */
  readonly runner: AggregateRunner;
  /** Asks the signer (requests, issuer status) and the secret-publisher (account keys). */
  readonly commands: OwnerCommandSender;
  /** The actor of the solver's automatic work. */
  readonly actor: string;
  readonly clock: Clock;
  readonly accounts: AcmeAccounts;
  readonly config: AcmeSolverConfig;
  readonly logger: Logger;
  readonly dns01: Dns01Support | undefined;
  readonly newId: () => string;
}

/** Work continues the correlation of the event that woke it; work without one starts its own. */
export function causedBy(ctx: SolverContext, cause: RecordedEvent | undefined): CommandContext {
  if (cause) return contextFromEvent(cause, ctx.actor);
  return startedContext({ id: ctx.newId(), actor: ctx.actor });
}

import type { ApiCaller } from "@certplane/api";
import { inProcessCaller } from "@certplane/api";
import type { Clock } from "@certplane/domain";
import type { EventStore } from "@certplane/event-store";
import type { KeyEncryptionKey, RandomSource } from "@certplane/pki";
import { type CommandContext, startedContext } from "@certplane/runtime";
import type { ApiAccess } from "./access/api-access.ts";
import type { OwnerWrites } from "./owner-writes.ts";
import type { ReadModel } from "./read/read-model.ts";

/** What every API handler works with, built once by the service factory. */
export interface IntakeContext extends OwnerWrites {
  readonly store: EventStore;
  readonly readModel: ReadModel;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly kek: KeyEncryptionKey;
  readonly random: RandomSource;
  /** Checks the caller may do what an operation is about to; apply asks per document. */
  readonly access: ApiAccess;
}

/**
 * A fresh correlation for one API call: it starts a chain of events, so it is its own cause, and
 * it is recorded for the caller the transport identified.
 */
export function apiCommandContext(context: IntakeContext, caller: ApiCaller | undefined): CommandContext {
  const { actor, traceparent } = caller ?? inProcessCaller;
  return startedContext({ id: context.newId(), actor, traceparent });
}

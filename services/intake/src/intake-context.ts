import type { Clock } from "@certplane/domain";
import type { EventStore } from "@certplane/event-store";
import type { KeyEncryptionKey, RandomSource } from "@certplane/pki";
import type { AggregateRunner, CommandContext } from "@certplane/runtime";
import type { ReadModel } from "./read/read-model.ts";

/** What every API handler works with, built once by the service factory. */
export interface IntakeContext {
  readonly store: EventStore;
  readonly runner: AggregateRunner;
  readonly readModel: ReadModel;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly kek: KeyEncryptionKey;
  readonly random: RandomSource;
  /** Who API writes are attributed to (the authenticated client, once transports pass one). */
  readonly actor: string;
}

/** A fresh correlation for one API call: it starts a chain of events, so it is its own cause. */
export function apiCommandContext(context: IntakeContext): CommandContext {
  const id = context.newId();
  return { correlationId: id, causationId: id, actor: context.actor };
}

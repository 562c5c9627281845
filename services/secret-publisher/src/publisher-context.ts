import type { AggregateRunner, Logger, OwnerCommandSender } from "@certplane/runtime";
import type { Sealer } from "./keys/sealed-key.ts";
import type { SecretTarget } from "./secrets/secret-target.ts";

/** What every handler of this service works with, built once by the service factory. */
export interface PublisherContext extends Sealer {
  /** Runs deciders on the streams this service owns (secrets). */
  readonly runner: AggregateRunner;
  /** Asks the owners of other streams: the signer for requests, the scheduler for outcomes. */
  readonly commands: OwnerCommandSender;
  /** The actor of this service's automatic work. */
  readonly actor: string;
  readonly newId: () => string;
  readonly logger: Logger;
  /** Where secrets are mirrored (files, clusters, …). */
  readonly targets: readonly SecretTarget[];
}

import type { AggregateRunner, Logger } from "@certplane/runtime";
import type { Sealer } from "./sealed-key.ts";
import type { SecretTarget } from "./secret-target.ts";

/** The actor on every event this service appends. */
export const SERVICE_ACTOR = "secret-publisher";

/** What every handler of this service works with, built once by the service factory. */
export interface PublisherContext extends Sealer {
  readonly runner: AggregateRunner;
  readonly newId: () => string;
  readonly logger: Logger;
  /** Where secrets are mirrored (files, clusters, …). */
  readonly targets: readonly SecretTarget[];
}

import type { Decider, DomainEvent } from "@certplane/domain";
import type { StreamCategory } from "@certplane/domain/model";
import {
  certificateIssuanceDecider,
  certificateRequestDecider,
  issuerStatusDecider,
  secretDecider,
} from "@certplane/domain/model";

// biome-ignore lint/suspicious/noExplicitAny: one registry holds deciders of every aggregate.
export type AnyDecider = Decider<any, DomainEvent, any>;

/** The decider an owner runs for commands other services send it, per category. */
export const ownerDeciders: Readonly<Partial<Record<StreamCategory, AnyDecider>>> = {
  certificateIssuance: certificateIssuanceDecider,
  certificateRequest: certificateRequestDecider,
  issuerStatus: issuerStatusDecider,
  clusterIssuerStatus: issuerStatusDecider,
  secret: secretDecider,
};

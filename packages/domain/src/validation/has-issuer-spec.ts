import type { IssuerSpec } from "../resources/issuer.ts";

/** What issuer checks read: an Issuer or ClusterIssuer, by its spec (shared by every issuer-type's checks). */
export interface HasIssuerSpec {
  readonly spec: IssuerSpec;
}

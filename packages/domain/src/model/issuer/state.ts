import type { IssuerType } from "../../resources/issuer.ts";
import { issuerTypes } from "../../resources/issuer.ts";
import type { StoredObjectMeta } from "../object-meta.ts";
import type { AcmeAccountStatus, IssuerReadiness, IssuerSpecFields } from "./events.ts";

export type IssuerState = { readonly status: "absent" } | ExistingIssuer;

export interface ExistingIssuer {
  readonly status: "active" | "deleted";
  readonly meta: StoredObjectMeta;
  readonly spec: IssuerSpecFields;
  readonly readiness?: IssuerReadiness;
  readonly acme?: AcmeAccountStatus;
}

export const initialIssuerState = (): IssuerState => ({ status: "absent" });

/** Intake refuses a spec with more than one type, so the first one set is the only one. */
export function issuerTypeOf(spec: IssuerSpecFields): IssuerType | undefined {
  return issuerTypes.find((type) => spec[type] !== undefined && spec[type] !== null);
}

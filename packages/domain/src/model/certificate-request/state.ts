import { NotFoundError } from "../../errors.ts";
import type { StoredCondition } from "../conditions.ts";
import type { StoredObjectMeta } from "../object-meta.ts";
import type { CertificateRequestSpecFields } from "./events.ts";

/** Where a request stands; final states never change again. */
export type RequestPhase = "pending" | "issued" | "failed" | "denied" | "invalid";

export type CertificateRequestState = { readonly status: "absent" } | ExistingCertificateRequest;

export interface ExistingCertificateRequest {
  readonly status: "present" | "deleted";
  readonly meta: StoredObjectMeta;
  readonly spec: CertificateRequestSpecFields;
  readonly phase: RequestPhase;
  readonly approved: boolean;
  readonly denied: boolean;
  readonly conditions: readonly StoredCondition[];
  readonly certificate?: string;
  readonly ca?: string;
  /** What the issuer warned about when it signed; absent when it warned of nothing. */
  readonly warnings?: readonly string[];
  readonly failureTime?: string;
}

export const initialCertificateRequestState = (): CertificateRequestState => ({ status: "absent" });

export function requireRequest(state: CertificateRequestState): ExistingCertificateRequest {
  if (state.status !== "present") throw new NotFoundError("certificaterequest not found");
  return state;
}

export function isFinal(state: ExistingCertificateRequest): boolean {
  return state.phase !== "pending";
}

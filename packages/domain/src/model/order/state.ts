import type { AcmeProblem, AcmeStatus } from "../acme-problem.ts";
import type { OrderAuthorization, OrderMeta, OrderSpecFields } from "./events.ts";

export type OrderState = { readonly status: "absent" } | ExistingOrder;

export interface ExistingOrder {
  readonly status: "present";
  readonly meta: OrderMeta;
  readonly spec: OrderSpecFields;
  /** "" until the server has the order, like cert-manager's empty status.state. */
  readonly state: AcmeStatus | "";
  readonly url?: string;
  readonly finalizeURL?: string;
  readonly authorizationURLs?: readonly string[];
  readonly authorizations?: readonly OrderAuthorization[];
  readonly finalized: boolean;
  readonly certificate?: string;
  readonly reason?: string;
  readonly problem?: AcmeProblem;
  readonly failureTime?: string;
  readonly createdAt: string;
}

export const initialOrderState = (): OrderState => ({ status: "absent" });

const finalStates: ReadonlySet<string> = new Set(["valid", "invalid", "expired", "errored"]);

/** invalid, expired, errored, or valid with the certificate downloaded: the Order will not change again. */
export function isOrderFinal(order: ExistingOrder): boolean {
  if (order.state === "valid") return order.certificate !== undefined;
  return finalStates.has(order.state);
}

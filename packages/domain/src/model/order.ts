import type { Decider } from "../decider.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import type { AcmeFailureStatus, AcmeProblem, AcmeStatus } from "./acme-problem.ts";
import { describeProblem } from "./acme-problem.ts";
import { jsonEqual } from "./object-meta.ts";

/** What the Order asks for; a snapshot of its CertificateRequest, immutable (model §4). */
export interface OrderSpecFields {
  /** The request's CSR, PEM. */
  readonly request: string;
  readonly issuerRef: { readonly name: string; readonly kind?: string; readonly group?: string };
  readonly commonName?: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  /** Go duration; only sent to the server with the issuer's enableDurationFeature. */
  readonly duration?: string;
}

export interface OrderChallengeOffer {
  readonly url: string;
  readonly token: string;
  readonly type: string;
}

export interface OrderAuthorization {
  readonly url: string;
  /** The identifier without `*.`; `wildcard` says whether it had one. */
  readonly identifier: string;
  readonly identifierType: "dns" | "ip";
  readonly wildcard: boolean;
  readonly initialState: AcmeStatus;
  readonly challenges: readonly OrderChallengeOffer[];
}

export interface OrderMeta {
  readonly namespace: string;
  readonly name: string;
  /** The CertificateRequest that owns this Order. */
  readonly requestName: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export type OrderEvent =
  | {
      readonly type: "OrderCreated";
      readonly data: { readonly meta: OrderMeta; readonly spec: OrderSpecFields; readonly createdAt: string };
    }
  | {
      readonly type: "OrderPlaced";
      readonly data: {
        readonly url: string;
        readonly finalizeURL: string;
        readonly authorizationURLs: readonly string[];
        readonly state: AcmeStatus;
        readonly at: string;
      };
    }
  | {
      readonly type: "OrderAuthorizationsFetched";
      readonly data: { readonly authorizations: readonly OrderAuthorization[]; readonly at: string };
    }
  | { readonly type: "OrderFinalized"; readonly data: { readonly state: AcmeStatus; readonly at: string } }
  | {
      readonly type: "OrderCertificateDownloaded";
      readonly data: { readonly certificate: string; readonly at: string };
    }
  | {
      readonly type: "OrderFailed";
      readonly data: {
        readonly state: AcmeFailureStatus;
        readonly reason: string;
        readonly problem?: AcmeProblem;
        readonly at: string;
      };
    };

export type OrderCommand =
  | {
      readonly type: "CreateOrder";
      readonly meta: OrderMeta;
      readonly spec: OrderSpecFields;
      readonly now: string;
    }
  | {
      readonly type: "RecordOrderPlaced";
      readonly url: string;
      readonly finalizeURL: string;
      readonly authorizationURLs: readonly string[];
      readonly state: AcmeStatus;
      readonly now: string;
    }
  | {
      readonly type: "RecordOrderAuthorizations";
      readonly authorizations: readonly OrderAuthorization[];
      readonly now: string;
    }
  | { readonly type: "RecordOrderFinalized"; readonly state: AcmeStatus; readonly now: string }
  | { readonly type: "RecordOrderCertificate"; readonly certificate: string; readonly now: string }
  | {
      readonly type: "FailOrder";
      readonly state: AcmeFailureStatus;
      /** What went wrong, for a person; the problem's detail is appended when there is one. */
      readonly reason: string;
      readonly problem?: AcmeProblem;
      readonly now: string;
    };

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

const finalStates: ReadonlySet<string> = new Set(["valid", "invalid", "expired", "errored"]);

/** invalid, expired, errored, or valid with the certificate downloaded: the Order will not change again. */
export function isOrderFinal(order: ExistingOrder): boolean {
  if (order.state === "valid") return order.certificate !== undefined;
  return finalStates.has(order.state);
}

function requireOpenOrder(state: OrderState): ExistingOrder | undefined {
  if (state.status === "absent") throw new NotFoundError("order not found");
  return isOrderFinal(state) ? undefined : state;
}

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  initialState: () => ({ status: "absent" }),

  decide(command, state) {
    const at = command.now;
    switch (command.type) {
      case "CreateOrder":
        if (state.status === "present") {
          if (jsonEqual(state.spec, command.spec)) return [];
          throw ValidationError.of("spec", "immutable", `order ${command.meta.name}: spec is immutable`);
        }
        return [{ type: "OrderCreated", data: { meta: command.meta, spec: command.spec, createdAt: at } }];
      case "RecordOrderPlaced": {
        const order = requireOpenOrder(state);
        if (!order || order.url !== undefined) return [];
        const { url, finalizeURL, authorizationURLs } = command;
        return [
          { type: "OrderPlaced", data: { url, finalizeURL, authorizationURLs, state: command.state, at } },
        ];
      }
      case "RecordOrderAuthorizations": {
        const order = requireOpenOrder(state);
        if (!order || order.url === undefined || order.authorizations !== undefined) return [];
        return [{ type: "OrderAuthorizationsFetched", data: { authorizations: command.authorizations, at } }];
      }
      case "RecordOrderFinalized": {
        const order = requireOpenOrder(state);
        if (!order || order.finalized) return [];
        return [{ type: "OrderFinalized", data: { state: command.state, at } }];
      }
      case "RecordOrderCertificate": {
        const order = requireOpenOrder(state);
        if (!order) return [];
        return [{ type: "OrderCertificateDownloaded", data: { certificate: command.certificate, at } }];
      }
      case "FailOrder": {
        const order = requireOpenOrder(state);
        if (!order) return [];
        const reason = command.problem
          ? `${command.reason}: ${describeProblem(command.problem)}`
          : command.reason;
        return [
          {
            type: "OrderFailed",
            data: {
              state: command.state,
              reason,
              ...(command.problem ? { problem: command.problem } : {}),
              at,
            },
          },
        ];
      }
    }
  },

  evolve(state, event) {
    if (event.type === "OrderCreated") {
      return {
        status: "present",
        meta: event.data.meta,
        spec: event.data.spec,
        state: "",
        finalized: false,
        createdAt: event.data.createdAt,
      };
    }
    if (state.status === "absent") return state;
    switch (event.type) {
      case "OrderPlaced": {
        const { url, finalizeURL, authorizationURLs } = event.data;
        return { ...state, url, finalizeURL, authorizationURLs, state: event.data.state };
      }
      case "OrderAuthorizationsFetched":
        return { ...state, authorizations: event.data.authorizations };
      case "OrderFinalized":
        return { ...state, finalized: true, state: event.data.state };
      case "OrderCertificateDownloaded":
        return { ...state, state: "valid", certificate: event.data.certificate };
      case "OrderFailed":
        return {
          ...state,
          state: event.data.state,
          reason: event.data.reason,
          ...(event.data.problem ? { problem: event.data.problem } : {}),
          failureTime: event.data.at,
        };
    }
  },
};

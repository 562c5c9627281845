import type {
  AcmeAuthorizationResource,
  AcmeClient,
  AcmeIdentifier,
  AcmeOrderResource,
} from "../acme-client.ts";
import type { AcmeRequestError } from "../acme-request-error.ts";

type NewOrderInput = Parameters<AcmeClient["newOrder"]>[0];

interface FakeOrder {
  readonly url: string;
  readonly authorizationUrls: readonly string[];
  finalized: boolean;
}

interface FakeAuthorization {
  readonly identifier: AcmeIdentifier;
  accepted: boolean;
}

const BASE = "https://acme.test";

/**
 * An ACME server in memory, for the flow without a real one: each newOrder gets its own order and
 * one authorization per identifier, offering an http-01 and a dns-01 challenge; an authorization is
 * valid once one of its challenges is accepted, the order ready once all are and valid once
 * finalized. Every client it hands out (one per solver instance) talks to the same server.
 */
export class FakeAcmeServer {
  /** newOrder, accept and finalize, in the order they came. */
  readonly calls: string[] = [];
  readonly newOrders: NewOrderInput[] = [];
  readonly #failures: AcmeRequestError[];
  readonly #orders = new Map<string, FakeOrder>();
  readonly #authorizations = new Map<string, FakeAuthorization>();

  /** `newOrderFailures`: thrown by the first newOrder calls, one each. */
  constructor(options: { readonly newOrderFailures?: readonly AcmeRequestError[] } = {}) {
    this.#failures = [...(options.newOrderFailures ?? [])];
  }

  readonly client: AcmeClient = {
    register: async () => ({ uri: `${BASE}/acct/1` }),
    newOrder: async (input) => {
      this.calls.push("newOrder");
      this.newOrders.push(input);
      const failure = this.#failures.shift();
      if (failure) throw failure;
      const url = `${BASE}/order/${this.#orders.size + 1}`;
      const authorizationUrls = input.identifiers.map((identifier, i) => {
        const authorization = `${url}/authz/${i + 1}`;
        this.#authorizations.set(authorization, { identifier, accepted: false });
        return authorization;
      });
      const order = { url, authorizationUrls, finalized: false };
      this.#orders.set(url, order);
      return this.#orderResource(order);
    },
    getOrder: async (url) => this.#orderResource(this.#order(url)),
    getAuthorization: async (url) => this.#authorizationResource(url),
    keyAuthorization: async ({ token }) => `${token}.thumbprint`,
    acceptChallenge: async (url) => {
      this.calls.push("accept");
      this.#authorization(url.slice(0, url.lastIndexOf("/"))).accepted = true;
    },
    finalize: async (finalizeUrl) => {
      this.calls.push("finalize");
      const order = this.#order(finalizeUrl.slice(0, -"/finalize".length));
      order.finalized = true;
      return this.#orderResource(order);
    },
    downloadCertificate: async () => "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n",
  };

  #order(url: string): FakeOrder {
    const order = this.#orders.get(url);
    if (!order) throw new Error(`no order ${url} on the fake ACME server`);
    return order;
  }

  #authorization(url: string): FakeAuthorization {
    const authorization = this.#authorizations.get(url);
    if (!authorization) throw new Error(`no authorization ${url} on the fake ACME server`);
    return authorization;
  }

  #orderResource(order: FakeOrder): AcmeOrderResource {
    const ready = order.authorizationUrls.every((url) => this.#authorization(url).accepted);
    return {
      url: order.url,
      status: order.finalized ? "valid" : ready ? "ready" : "pending",
      finalizeUrl: `${order.url}/finalize`,
      authorizationUrls: order.authorizationUrls,
      ...(order.finalized ? { certificateUrl: `${order.url}/cert` } : {}),
    };
  }

  #authorizationResource(url: string): AcmeAuthorizationResource {
    const { identifier, accepted } = this.#authorization(url);
    const status = accepted ? "valid" : "pending";
    return {
      url,
      status,
      identifier,
      wildcard: false,
      challenges: ["http-01", "dns-01"].map((type) => ({
        url: `${url}/${type}`,
        type,
        token: `token-${url.slice(BASE.length).replaceAll("/", "-")}`,
        status,
      })),
    };
  }
}

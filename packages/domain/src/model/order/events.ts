import type { IssuerReference } from "../../resources/references.ts";
import type { AcmeFailure, AcmeStatus } from "../acme-problem.ts";

/** What the Order asks for; a snapshot of its CertificateRequest, immutable (model §4). */
export interface OrderSpecFields {
  /** The request's CSR, PEM. */
  readonly request: string;
  readonly issuerRef: IssuerReference;
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
      readonly data: AcmeFailure;
    };

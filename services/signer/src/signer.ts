import type { ConditionStatus, IssuerSpecFields } from "@certplane/domain/model";

/** An issuer as a signer sees it. */
export interface IssuerView {
  readonly kind: "Issuer" | "ClusterIssuer";
  readonly name: string;
  /** Where the issuer's secrets live: its own namespace, or the cluster resource namespace. */
  readonly resourceNamespace: string;
  readonly spec: IssuerSpecFields;
}

export interface SecretRef {
  readonly namespace: string;
  readonly name: string;
}

export interface Readiness {
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
}

/** An approved request whose issuer is Ready, decoded once by the handler. */
export interface SignRequest {
  readonly issuer: IssuerView;
  readonly namespace: string;
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly csrPem: string;
  readonly durationMs: number | undefined;
  readonly isCA: boolean;
  readonly usages: readonly string[] | undefined;
  readonly notBefore: Date;
}

/**
 * What signing came to. `pending` waits for something outside the request to change; `failed` and
 * `invalid` are final (invalid: the request itself can never be signed).
 */
export type SignOutcome =
  | {
      readonly kind: "issued";
      readonly certificate: string;
      readonly ca: string;
      /** What the issuer warned about while signing (Vault's `warnings`); the others never warn. */
      readonly warnings?: readonly string[];
    }
  | { readonly kind: "pending"; readonly reason: string; readonly message: string }
  | { readonly kind: "failed"; readonly reason: string; readonly message: string }
  | { readonly kind: "invalid"; readonly reason: string; readonly message: string };

/**
 * One issuer type, as cert-manager's Issuer interface splits it: Setup (readiness) and Sign.
 * Handlers pick a signer by issuer type and never look at the type themselves.
 */
export interface Signer {
  /** Secrets whose changes can change this issuer's readiness. */
  secretsOf(issuer: IssuerView): readonly SecretRef[];
  checkReadiness(issuer: IssuerView): Promise<Readiness>;
  sign(request: SignRequest): Promise<SignOutcome>;
}

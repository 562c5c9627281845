import type { ConditionStatus } from "../../resources/condition.ts";
import type { IssuerSpec } from "../../resources/issuer.ts";
import type { StoredObjectMeta } from "../object-meta.ts";

/**
 * The issuer spec as stored: intake validated it against IssuerSpec, and the signer's in-process
 * backends (selfSigned, ca, vault) read it with that schema's types. The rest stays open for now:
 * the acme-solver hands in read-only solver lists where IssuerSpec's are mutable, and venafi has no
 * backend.
 */
export type IssuerSpecFields = Readonly<Pick<IssuerSpec, "selfSigned" | "ca" | "vault">> & {
  readonly [field: string]: unknown;
};

export interface IssuerReadiness {
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration: number;
  readonly at: string;
}

/** cert-manager's `status.acme`: the account the issuer registered, so a changed email or key shows. */
export interface AcmeAccountStatus {
  readonly uri: string;
  readonly lastRegisteredEmail?: string;
  /** SHA-256 of the account key's public key (base64url); never the key itself. */
  readonly lastPrivateKeyHash: string;
}

export type IssuerEvent =
  | {
      readonly type: "IssuerApplied";
      readonly data: {
        readonly meta: StoredObjectMeta;
        /** Issuer and ClusterIssuer share this spec. */
        readonly spec: IssuerSpecFields;
        readonly appliedAt: string;
      };
    }
  | { readonly type: "IssuerReadinessChanged"; readonly data: IssuerReadiness }
  | { readonly type: "IssuerDeleted"; readonly data: { readonly deletedAt: string } }
  | {
      readonly type: "IssuerAcmeAccountRegistered";
      readonly data: AcmeAccountStatus & { readonly at: string };
    };

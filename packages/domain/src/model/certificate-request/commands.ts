import type { StoredObjectMeta } from "../object-meta.ts";
import type { CertificateRequestSpecFields, ConditionChange } from "./events.ts";

/** The commands that only record a condition change; the owner stamps it with `now`. */
interface ConditionCommand<TType extends string> extends Omit<ConditionChange, "at"> {
  readonly type: TType;
  readonly now: string;
}

export type CertificateRequestCommand =
  | {
      readonly type: "CreateCertificateRequest";
      readonly meta: StoredObjectMeta;
      readonly spec: CertificateRequestSpecFields;
      /**
       * A request that exists already is left as it is, whatever its spec: the secret-publisher's
       * retry carries a new CSR, since CSR signatures are not deterministic for every algorithm.
       */
      readonly ifAbsent?: boolean;
      readonly now: string;
    }
  | ConditionCommand<"ApproveCertificateRequest">
  | ConditionCommand<"DenyCertificateRequest">
  | ConditionCommand<"MarkCertificateRequestPending">
  | ConditionCommand<"MarkCertificateRequestInvalid">
  | ConditionCommand<"FailCertificateRequest">
  | {
      readonly type: "IssueCertificateRequest";
      readonly certificate: string;
      readonly ca?: string;
      /** What the issuer warned about while signing (Vault: a TTL capped by the role's max_ttl). */
      readonly warnings?: readonly string[];
      readonly now: string;
    }
  | { readonly type: "DeleteCertificateRequest"; readonly now: string };

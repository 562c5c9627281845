import type { SecretOwner } from "./owner.ts";
import type { SealedValue } from "./sealed-value.ts";

export interface SecretContent {
  readonly type: string;
  /** Public values (certificates), as text. */
  readonly data: Readonly<Record<string, string>>;
  /** Secret values (private keys), sealed. */
  readonly sealedData: Readonly<Record<string, SealedValue>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export type SecretEvent =
  | {
      readonly type: "SecretWritten";
      readonly data: SecretContent & {
        readonly name: string;
        readonly namespace: string;
        readonly owner: SecretOwner;
        readonly writtenAt: string;
      };
    }
  | {
      readonly type: "SecretDeleted";
      readonly data: { readonly reason: string; readonly deletedAt: string };
    };

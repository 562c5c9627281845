import type { SecretContent } from "./events.ts";
import type { SecretOwner } from "./owner.ts";

export type SecretCommand =
  | {
      readonly type: "WriteSecret";
      readonly name: string;
      readonly namespace: string;
      readonly content: SecretContent;
      readonly owner: SecretOwner;
      /** Keep a secret that exists already (a key another instance generated first wins). */
      readonly ifAbsent?: boolean;
      readonly now: string;
    }
  | {
      readonly type: "DeleteSecret";
      readonly reason: string;
      /** When set, only delete a secret this owner created. */
      readonly expectedOwner?: SecretOwner;
      readonly now: string;
    };

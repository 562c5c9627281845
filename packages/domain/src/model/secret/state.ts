import type { SecretContent } from "./events.ts";
import type { SecretOwner } from "./owner.ts";

export type SecretState =
  | { readonly status: "absent" }
  | {
      readonly status: "present";
      readonly name: string;
      readonly namespace: string;
      readonly content: SecretContent;
      readonly owner: SecretOwner;
      readonly createdAt: string;
      readonly updatedAt: string;
      readonly version: number;
    };

export const initialSecretState = (): SecretState => ({ status: "absent" });

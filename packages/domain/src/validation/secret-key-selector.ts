// cert-manager's ValidateSecretKeySelector: where it applies, a reference names both the Secret and
// the key, because those providers have no default key to fall back on.
import type { SecretKeySelector } from "../resources/references.ts";
import type { Violation } from "./policy-check.ts";

export function secretKeySelectorIncomplete(ref: SecretKeySelector | undefined, path: string): Violation[] {
  if (ref === undefined) return [];
  return [
    ...(ref.name === "" ? [{ field: `${path}.name`, message: "secret name is required" }] : []),
    ...(!ref.key ? [{ field: `${path}.key`, message: "secret key is required" }] : []),
  ];
}

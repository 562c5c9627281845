// Building blocks for issuer rules: one issuer type's configuration at a time, and the plain
// "Required value" cert-manager reports with an empty message.
import type { IssuerSpec, IssuerType } from "../resources/issuer.ts";
import type { HasIssuerSpec } from "./has-issuer-spec.ts";
import type { PolicyCheck, Violation } from "./policy-check.ts";

/** A rule on the issuer's `type` configuration, run only when the issuer has one. */
export function onIssuerType<T extends IssuerType>(
  type: T,
  name: string,
  rule: (config: NonNullable<IssuerSpec[T]>) => Violation[],
): PolicyCheck<HasIssuerSpec> {
  return {
    name,
    check: ({ spec }) => {
      const config = spec[type];
      return config === undefined ? [] : rule(config as NonNullable<IssuerSpec[T]>);
    },
  };
}

export function required(field: string, message = "must be specified"): Violation[] {
  return [{ field, message }];
}

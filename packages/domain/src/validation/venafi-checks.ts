// Venafi (CyberArk Certificate Manager) issuer rules: cert-manager's ValidateVenafiIssuerConfig (model §3.4).
import type { VenafiIssuer } from "../resources/issuer.ts";
import type { HasIssuerSpec } from "./has-issuer-spec.ts";
import { onIssuerType, required } from "./issuer-rule.ts";
import type { PolicyCheck, Violation } from "./policy-check.ts";

const CONNECTIONS = ["tpp", "cloud", "ngts"] as const;

const onVenafi = (name: string, rule: (venafi: VenafiIssuer) => Violation[]) =>
  onIssuerType("venafi", name, rule);

export const venafiChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  onVenafi("venafiZoneMissing", (venafi) => (venafi.zone === "" ? required("spec.venafi.zone") : [])),
  onVenafi("venafiConnectionNotExactlyOne", (venafi) => {
    const count = CONNECTIONS.filter((c) => venafi[c] !== undefined).length;
    return count === 1
      ? []
      : [
          {
            field: "spec.venafi",
            message: `${count === 0 ? "Required value" : "Forbidden"}: please supply one of: ${CONNECTIONS.join(", ")}`,
          },
        ];
  }),
  onVenafi("venafiTppUrlMissing", ({ tpp }) => (tpp?.url === "" ? required("spec.venafi.tpp.url") : [])),
  onVenafi("venafiTppCaBundleNotUnique", ({ tpp }) =>
    tpp?.caBundle && tpp.caBundleSecretRef !== undefined
      ? [
          {
            field: "spec.venafi.tpp",
            message: "may not specify more than one of caBundle/caBundleSecretRef as TPP CA Bundle",
          },
        ]
      : [],
  ),
  onVenafi("venafiNgtsIncomplete", ({ ngts }) =>
    ngts === undefined
      ? []
      : [
          ...(ngts.tsgID === "" ? required("spec.venafi.ngts.tsgID") : []),
          ...(ngts.credentialsRef.name === "" ? required("spec.venafi.ngts.credentialsRef.name") : []),
        ],
  ),
];

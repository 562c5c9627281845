import type { IssuerReference } from "../resources/references.ts";
import type { PolicyCheck } from "./policy-check.ts";

export interface HasIssuerRef {
  readonly spec: { readonly issuerRef: IssuerReference };
}

export const issuerRefChecks: readonly PolicyCheck<HasIssuerRef>[] = [
  {
    name: "issuerRefNameMissing",
    check: ({ spec: { issuerRef } }) =>
      issuerRef.name === "" ? [{ field: "spec.issuerRef.name", message: "must be specified" }] : [],
  },
  {
    name: "issuerRefKindNotSupported",
    check: ({ spec: { issuerRef } }) => {
      const { kind = "", group = "" } = issuerRef;
      // External issuers (any other group) choose their own kinds.
      if (group !== "" && group !== "cert-manager.io") return [];
      if (kind === "" || kind === "Issuer" || kind === "ClusterIssuer") return [];
      // cert-manager's hint names `spec.group` (field.Path Root()); the field is spec.issuerRef.group.
      const hint = group === "" ? " (did you forget to set spec.issuerRef.group?)" : "";
      return [{ field: "spec.issuerRef.kind", message: `must be one of Issuer or ClusterIssuer${hint}` }];
    },
  },
];

// ACME issuer and solver rules (model §3.5). Solver paths are `spec.acme.solvers[i]…`.
import { readGoDuration } from "../duration.ts";
import { eachSolver } from "./acme-solver-rule.ts";
import { caBundleWithoutCertificate } from "./ca-bundle.ts";
import { dns01ProviderChecks } from "./dns01-provider-checks.ts";
import type { HasIssuerSpec } from "./has-issuer-spec.ts";
import { dns1123SubdomainProblems } from "./names.ts";
import type { PolicyCheck } from "./policy-check.ts";

const MAX_PREFERRED_CHAIN_BYTES = 64;

export const acmeChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  {
    name: "acmePrivateKeySecretNameMissing",
    check: ({ spec: { acme } }) =>
      acme !== undefined && acme.privateKeySecretRef.name === ""
        ? [
            {
              field: "spec.acme.privateKeySecretRef.name",
              message: "private key secret name is a required field",
            },
          ]
        : [],
  },
  {
    name: "acmeServerMissing",
    check: ({ spec: { acme } }) =>
      acme !== undefined && acme.server === ""
        ? [{ field: "spec.acme.server", message: "acme server URL is a required field" }]
        : [],
  },
  {
    name: "acmeCaBundleWithSkipTLSVerify",
    check: ({ spec: { acme } }) => {
      if (!acme?.skipTLSVerify || !acme.caBundle) return [];
      const message = "caBundle and skipTLSVerify are mutually exclusive and cannot both be set";
      return [
        { field: "spec.acme.caBundle", message },
        { field: "spec.acme.skipTLSVerify", message },
      ];
    },
  },
  {
    name: "acmeCaBundleWithoutCertificate",
    check: ({ spec: { acme } }) => caBundleWithoutCertificate(acme?.caBundle, "spec.acme.caBundle"),
  },
  {
    name: "acmeExternalAccountBindingIncomplete",
    check: ({ spec: { acme } }) => {
      const eab = acme?.externalAccountBinding;
      if (eab === undefined) return [];
      const path = "spec.acme.externalAccountBinding";
      const missing = (field: string) => ({
        field: `${path}.${field}`,
        message: `the ${field} field is required when using externalAccountBinding`,
      });
      return [
        ...(eab.keyID === "" ? [missing("keyID")] : []),
        ...(eab.keySecretRef.name === "" ? [missing("keySecretRef.name")] : []),
        ...(eab.keySecretRef.key === "" ? [missing("keySecretRef.key")] : []),
      ];
    },
  },
  {
    name: "acmePreferredChainTooLong",
    check: ({ spec: { acme } }) =>
      new TextEncoder().encode(acme?.preferredChain ?? "").length > MAX_PREFERRED_CHAIN_BYTES
        ? [
            {
              field: "spec.acme.preferredChain",
              message: `may not be more than ${MAX_PREFERRED_CHAIN_BYTES} bytes`,
            },
          ]
        : [],
  },
  eachSolver("solverTypeNotExactlyOne", (solver, path) => {
    if (solver.http01 && solver.dns01) {
      return [{ field: path, message: "may not specify more than one solver type in a single solver" }];
    }
    return solver.http01 || solver.dns01 ? [] : [{ field: path, message: "no solver type configured" }];
  }),
  eachSolver("waitInsteadOfSelfCheckNegative", (solver, path) => {
    const wait = solver.waitInsteadOfSelfCheck;
    return wait !== undefined && !readGoDuration(wait, { allowNegative: false }).ok
      ? [{ field: `${path}.waitInsteadOfSelfCheck`, message: "must not be negative" }]
      : [];
  }),
  eachSolver("http01SolverTypeNotExactlyOne", ({ http01 }, path) => {
    if (http01 === undefined) return [];
    if (http01.ingress && http01.gatewayHTTPRoute) {
      return [
        { field: `${path}.http01.gatewayHTTPRoute`, message: "only 1 HTTP01 solver type may be configured" },
      ];
    }
    return http01.ingress || http01.gatewayHTTPRoute
      ? []
      : [{ field: `${path}.http01`, message: "no HTTP01 solver type configured" }];
  }),
  eachSolver("http01IngressTargetNotUnique", ({ http01 }, path) => {
    const ingress = http01?.ingress;
    if (ingress === undefined) return [];
    const targets = [ingress.ingressClassName, ingress.class, ingress.name].filter((t) => t !== undefined);
    return targets.length > 1
      ? [
          {
            field: `${path}.http01.ingress`,
            message: "only one of 'ingressClassName', 'name' or 'class' should be specified",
          },
        ]
      : [];
  }),
  eachSolver("http01IngressClassNameInvalid", ({ http01 }, path) => {
    // Stricter than `class`, which stays free text (e.g. "azure/application-gateway").
    const className = http01?.ingress?.ingressClassName;
    const problems = className === undefined ? [] : dns1123SubdomainProblems(className);
    return problems.length === 0
      ? []
      : [
          {
            field: `${path}.http01.ingress.ingressClassName`,
            message: `must be a valid IngressClass name: ${problems.join(", ")}`,
          },
        ];
  }),
  eachSolver("http01GatewayParentRefNameMissing", ({ http01 }, path) =>
    // cert-manager also wants a kind with a name, but its CRD defaults kind to Gateway (as the
    // Gateway API does), so only a kind without a name can reach it. Its path says `gateway`.
    (http01?.gatewayHTTPRoute?.parentRefs ?? []).flatMap(({ kind, name }, i) =>
      kind !== undefined && name === ""
        ? [
            {
              field: `${path}.http01.gatewayHTTPRoute.parentRefs[${i}].name`,
              message: "name is required when kind is specified",
            },
          ]
        : [],
    ),
  ),
  ...dns01ProviderChecks,
];

// ACME issuer and solver rules (model §3.5). Solver paths are `spec.acme.solvers[i]…`.
import { readGoDuration } from "../duration.ts";
import type { AcmeChallengeSolver, AcmeDns01Solver } from "../resources/acme-solver.ts";
import { dns01ProviderNames } from "../resources/acme-solver.ts";
import type { HasIssuerSpec } from "./has-issuer-spec.ts";
import { dns1123SubdomainProblems } from "./names.ts";
import { isIpAddress } from "./network.ts";
import type { PolicyCheck, Violation } from "./policy-check.ts";

const MAX_PREFERRED_CHAIN_BYTES = 64;
const TSIG_ALGORITHMS = ["HMACMD5", "HMACSHA1", "HMACSHA256", "HMACSHA512"];

type SolverRule = (solver: AcmeChallengeSolver, path: string) => Violation[];

/** Runs a rule over every solver, giving it the solver's own path. */
function eachSolver(name: string, rule: SolverRule): PolicyCheck<HasIssuerSpec> {
  return {
    name,
    check: ({ spec }) =>
      (spec.acme?.solvers ?? []).flatMap((solver, i) => rule(solver, `spec.acme.solvers[${i}]`)),
  };
}

function eachDns01(name: string, rule: (dns01: AcmeDns01Solver, path: string) => Violation[]) {
  return eachSolver(name, (solver, path) => (solver.dns01 ? rule(solver.dns01, `${path}.dns01`) : []));
}

/** host[:port] with an IPv4 address, a bracketed IPv6 address or a hostname, as ValidNameserver reads it. */
function isNameserver(text: string): boolean {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d*))?$/.exec(text.trim());
  if (match === null) return isIpAddress(text.trim());
  const [, v6, host, port] = match;
  if (v6 !== undefined && !isIpAddress(v6)) return false;
  if (host !== undefined && host.trim() === "") return false;
  return port === undefined || port === "" || (Number(port) >= 1 && Number(port) <= 65535);
}

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
      return [{ field: `${path}.dns01`, message: "may not specify more than one provider type" }];
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
    const className = http01?.ingress?.ingressClassName;
    return className === undefined
      ? []
      : dns1123SubdomainProblems(className).map((message) => ({
          field: `${path}.http01.ingress.ingressClassName`,
          message,
        }));
  }),
  eachDns01("dns01ProviderNotExactlyOne", (dns01, path) => {
    const configured = dns01ProviderNames.filter((name) => dns01[name] !== undefined);
    if (configured.length === 0) return [{ field: path, message: "no DNS01 provider configured" }];
    return configured
      .slice(1)
      .map((name) => ({ field: `${path}.${name}`, message: "may not specify more than one provider type" }));
  }),
  eachDns01("dns01NameserverInvalid", (dns01, path) =>
    (dns01.nameservers ?? []).flatMap((nameserver, i) =>
      nameserver.startsWith("https://") || isNameserver(nameserver)
        ? []
        : [
            {
              field: `${path}.nameservers[${i}]`,
              message: "must be host:port or an https:// DNS-over-HTTPS URL",
            },
          ],
    ),
  ),
  eachDns01("rfc2136NameserverInvalid", ({ rfc2136 }, path) => {
    if (rfc2136 === undefined) return [];
    const field = `${path}.rfc2136.nameserver`;
    if (rfc2136.nameserver === "") return [{ field, message: "must be specified" }];
    return isNameserver(rfc2136.nameserver)
      ? []
      : [
          {
            field,
            message:
              "nameserver must be set in the form host:port where host is an IPv4 address, an enclosed IPv6 " +
              "address or a hostname and port is an optional port number",
          },
        ];
  }),
  eachDns01("rfc2136TsigAlgorithmNotSupported", ({ rfc2136 }, path) => {
    const algorithm = rfc2136?.tsigAlgorithm;
    if (!algorithm || TSIG_ALGORITHMS.includes(algorithm.toUpperCase())) return [];
    const supported = TSIG_ALGORITHMS.map((a) => `"${a}"`).join(", ");
    return [
      {
        field: `${path}.rfc2136.tsigAlgorithm`,
        message: `Unsupported value: "${algorithm}": supported values: ${supported}`,
      },
    ];
  }),
  eachDns01("rfc2136TsigSecretMissing", ({ rfc2136 }, path) =>
    rfc2136?.tsigKeyName && !rfc2136.tsigSecretSecretRef?.name
      ? [
          {
            field: `${path}.rfc2136.tsigSecretSecretRef.name`,
            message: "must be specified when tsigKeyName is set",
          },
        ]
      : [],
  ),
  eachDns01("cloudflareCredentialsNotExactlyOne", ({ cloudflare }, path) => {
    if (cloudflare === undefined) return [];
    const field = `${path}.cloudflare`;
    if (cloudflare.apiKeySecretRef && cloudflare.apiTokenSecretRef) {
      return [{ field, message: "apiKeySecretRef and apiTokenSecretRef cannot both be specified" }];
    }
    if (!cloudflare.apiKeySecretRef && !cloudflare.apiTokenSecretRef) {
      return [{ field, message: "apiKeySecretRef or apiTokenSecretRef is required" }];
    }
    return cloudflare.apiKeySecretRef && !cloudflare.email
      ? [{ field: `${field}.email`, message: "email is required when using apiKeySecretRef" }]
      : [];
  }),
  eachDns01("route53AccessKeyNotUnique", ({ route53 }, path) =>
    route53?.accessKeyID && route53.accessKeyIDSecretRef
      ? [
          {
            field: `${path}.route53`,
            message: "accessKeyID and accessKeyIDSecretRef cannot both be specified",
          },
        ]
      : [],
  ),
  eachDns01("webhookSolverNameMissing", ({ webhook }, path) =>
    webhook !== undefined && webhook.solverName === ""
      ? [{ field: `${path}.webhook.solverName`, message: "solver name must be specified" }]
      : [],
  ),
];

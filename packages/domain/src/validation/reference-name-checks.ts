// A reference to an object by a name Kubernetes could never give an object can never resolve: an
// issuer whose ca.secretName is "My Secret!" would wait "for the issuer to be checked" for ever.
// These rules refuse such names at apply time, with the reference's field path. Empty names are
// left to each field's own "…Missing" rule, which knows whether the reference is required.
import type { Certificate } from "../resources/certificate.ts";
import type { HasIssuerSpec } from "./has-issuer-spec.ts";
import type { HasIssuerRef } from "./issuer-ref-checks.ts";
import { dns1123SubdomainProblems } from "./names.ts";
import type { PolicyCheck, Violation } from "./policy-check.ts";

// cert-manager's own spellings: `…SecretRef`/`secretRef` (SecretKeySelector), Venafi's
// `credentialsRef` (a Secret), `serviceAccountRef` (a ServiceAccount, also a DNS-1123 subdomain).
const REFERENCE_KEY = /^(?:.*SecretRef|secretRef|credentialsRef|serviceAccountRef)$/;
const SECRET_NAME_KEY = "secretName";

interface NamedReference {
  readonly field: string;
  readonly name: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Every object name referenced under `value`, found by the field names cert-manager uses for them. */
function referencesUnder(value: unknown, path: string): NamedReference[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => referencesUnder(item, `${path}[${i}]`));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, child]): NamedReference[] => {
    const field = `${path}.${key}`;
    if (key === SECRET_NAME_KEY && typeof child === "string") return [{ field, name: child }];
    if (REFERENCE_KEY.test(key) && isRecord(child) && typeof child.name === "string") {
      return [{ field: `${field}.name`, name: child.name }, ...referencesUnder(child, field)];
    }
    return referencesUnder(child, field);
  });
}

function invalidNames(references: readonly NamedReference[]): Violation[] {
  return references.flatMap(({ field, name }) =>
    name === "" ? [] : dns1123SubdomainProblems(name).map((message) => ({ field, message })),
  );
}

/** Every Secret and ServiceAccount an issuer names (CA, ACME, Vault, Venafi, DNS-01 providers). */
export const issuerReferenceNameChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  {
    name: "referenceNameNotDns1123Subdomain",
    check: ({ spec }) => invalidNames(referencesUnder(spec, "spec")),
  },
];

/** Issuers are Kubernetes objects, named by DNS-1123 subdomains whichever group serves them. */
const issuerRefNameCheck: PolicyCheck<HasIssuerRef> = {
  name: "issuerRefNameNotDns1123Subdomain",
  check: ({ spec: { issuerRef } }) => invalidNames([{ field: "spec.issuerRef.name", name: issuerRef.name }]),
};

/** The issuer, and the keystore password Secrets; spec.secretName has its own rule. */
export const certificateReferenceNameChecks: readonly PolicyCheck<Certificate>[] = [
  issuerRefNameCheck,
  {
    name: "referenceNameNotDns1123Subdomain",
    check: ({ spec }) => invalidNames(referencesUnder(spec.keystores, "spec.keystores")),
  },
];

export const certificateRequestReferenceNameChecks: readonly PolicyCheck<HasIssuerRef>[] = [
  issuerRefNameCheck,
];

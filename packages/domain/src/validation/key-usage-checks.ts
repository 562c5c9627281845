import { isKeyUsage } from "../resources/certificate.ts";
import type { PolicyCheck } from "./policy-check.ts";

/** Certificates and CertificateRequests share the usage enum; cert-manager words the error per kind. */
export function usageUnknownCheck(
  message: string,
): PolicyCheck<{ readonly spec: { readonly usages?: string[] } }> {
  return {
    name: "usageUnknown",
    check: ({ spec }) =>
      (spec.usages ?? []).flatMap((usage, i) =>
        isKeyUsage(usage) ? [] : [{ field: `spec.usages[${i}]`, message }],
      ),
  };
}

import type { Certificate } from "../resources/certificate.ts";
import { certificateIdentityChecks, certificateSecretNameChecks } from "./certificate-identity-checks.ts";
import { certificateKeyChecks } from "./certificate-key-checks.ts";
import { certificateLifetimeChecks } from "./certificate-lifetime-checks.ts";
import { certificateOutputChecks } from "./certificate-output-checks.ts";
import { issuerRefChecks } from "./issuer-ref-checks.ts";
import { usageUnknownCheck } from "./key-usage-checks.ts";
import type { PolicyCheck } from "./policy-check.ts";

/** cert-manager's Certificate webhook rules, in the order it reports them. */
export const certificateChecks: readonly PolicyCheck<Certificate>[] = [
  ...certificateSecretNameChecks,
  ...issuerRefChecks,
  ...certificateIdentityChecks,
  ...certificateKeyChecks,
  ...certificateLifetimeChecks,
  usageUnknownCheck("unknown keyusage"),
  ...certificateOutputChecks,
];

import { type AcmeDns01Solver, ValidationError } from "@certplane/domain";
import type { Dns01ProviderDeps } from "./dns01-provider-for.ts";
import { GoogleCloudDnsProvider } from "./google-cloud-dns-provider.ts";
import { googleServiceAccountToken, parseServiceAccountKey } from "./google-service-account.ts";
import { solverSecret } from "./solver-secret.ts";

type CloudDnsSpec = NonNullable<AcmeDns01Solver["cloudDNS"]>;
const field = "dns01.cloudDNS";

/**
 * cert-manager's `cloudDNS` solver with a service account key. Without `serviceAccountSecretRef` cert-manager
 * falls back to Google's application default credentials; that is refused here, naming what works.
 */
export async function googleCloudDnsProviderFor(
  spec: CloudDnsSpec,
  deps: Pick<Dns01ProviderDeps, "readSecret" | "clock" | "timeoutMs" | "googleDnsUrl" | "googleTokenUrl">,
): Promise<GoogleCloudDnsProvider> {
  if (spec.serviceAccountSecretRef === undefined) {
    throw ValidationError.of(
      `${field}.serviceAccountSecretRef`,
      "required",
      "ambient Google credentials (application default, workload identity) are not supported by certplane yet; set serviceAccountSecretRef to a Secret holding a service account key file",
    );
  }
  const secretField = `${field}.serviceAccountSecretRef`;
  const json = await solverSecret(spec.serviceAccountSecretRef, secretField, deps.readSecret);
  const token = googleServiceAccountToken(parseServiceAccountKey(json, secretField), {
    tokenUrl: deps.googleTokenUrl,
    clock: deps.clock,
    timeoutMs: deps.timeoutMs,
  });
  return new GoogleCloudDnsProvider({
    project: spec.project,
    hostedZoneName: spec.hostedZoneName,
    baseUrl: deps.googleDnsUrl,
    timeoutMs: deps.timeoutMs,
    token,
  });
}

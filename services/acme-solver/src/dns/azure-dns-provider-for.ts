import { type AcmeDns01Solver, ValidationError } from "@certplane/domain";
import { AzureDnsProvider } from "./azure-dns-provider.ts";
import { azureServicePrincipalToken } from "./azure-dns-token.ts";
import type { Dns01ProviderDeps } from "./dns01-provider-for.ts";
import { solverSecret } from "./solver-secret.ts";

type AzureDnsSpec = NonNullable<AcmeDns01Solver["azureDNS"]>;
const field = "dns01.azureDNS";

/**
 * cert-manager's `azureDNS` solver with a service principal in the public cloud. Managed identity, ambient
 * credentials, the sovereign clouds and private zones are refused here, naming what works, rather than
 * half-served: each needs its own endpoints (IMDS, other login and management hosts, `privateDnsZones`).
 */
export async function azureDnsProviderFor(
  spec: AzureDnsSpec,
  deps: Pick<
    Dns01ProviderDeps,
    "readSecret" | "clock" | "timeoutMs" | "azureManagementUrl" | "azureLoginUrl"
  >,
): Promise<AzureDnsProvider> {
  if (spec.environment !== undefined && spec.environment !== "AzurePublicCloud") {
    throw ValidationError.of(
      `${field}.environment`,
      "supported",
      `the ${spec.environment} environment is not supported by certplane yet; use AzurePublicCloud (or leave environment unset)`,
    );
  }
  if (spec.zoneType === "AzurePrivateZone") {
    throw ValidationError.of(
      `${field}.zoneType`,
      "supported",
      "Azure private DNS zones are not supported by certplane yet; ACME validation needs a public zone (AzurePublicZone)",
    );
  }
  if (!spec.clientID || !spec.tenantID || spec.clientSecretSecretRef === undefined) {
    throw ValidationError.of(
      field,
      "servicePrincipal",
      "managed identity and ambient Azure credentials are not supported by certplane yet; set clientID, tenantID and clientSecretSecretRef of a service principal",
    );
  }
  const clientSecret = await solverSecret(
    spec.clientSecretSecretRef,
    `${field}.clientSecretSecretRef`,
    deps.readSecret,
  );
  const token = azureServicePrincipalToken(
    { tenantId: spec.tenantID, clientId: spec.clientID, clientSecret },
    { loginUrl: deps.azureLoginUrl, clock: deps.clock, timeoutMs: deps.timeoutMs },
  );
  return new AzureDnsProvider({
    timeoutMs: deps.timeoutMs,
    subscriptionId: spec.subscriptionID,
    resourceGroupName: spec.resourceGroupName,
    hostedZoneName: spec.hostedZoneName,
    managementUrl: deps.azureManagementUrl,
    token,
  });
}

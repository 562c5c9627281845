import type { Clock } from "@certplane/domain";
import type { HttpCallOptions } from "./http-call.ts";
import { OAuthToken } from "./oauth-token.ts";

export interface AzureServicePrincipal {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface AzureTokenOptions extends HttpCallOptions {
  /** `https://login.microsoftonline.com` (Azure public cloud) unless a test points it at a stand-in. */
  readonly loginUrl?: string;
  readonly clock?: Clock;
}

/** A token for Azure Resource Manager by the OAuth2 client-credentials grant of the Microsoft identity platform. */
export function azureServicePrincipalToken(
  principal: AzureServicePrincipal,
  options: AzureTokenOptions,
): OAuthToken {
  const { tenantId, clientId, clientSecret } = principal;
  const login = (options.loginUrl ?? "https://login.microsoftonline.com").replace(/\/$/, "");
  return new OAuthToken(
    {
      url: `${login}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
      form: () => ({
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: clientSecret,
        scope: "https://management.azure.com/.default",
      }),
      what: `Azure AD client-credentials token for client ${clientId} in tenant ${tenantId}`,
      hint: "check clientID, tenantID and the client secret in clientSecretSecretRef (its value, not its id)",
      field: "dns01.azureDNS",
    },
    options,
  );
}

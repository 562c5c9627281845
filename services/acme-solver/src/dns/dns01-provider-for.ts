import {
  type AcmeCloudflareProvider,
  type AcmeDns01Solver,
  type AcmeRfc2136Provider,
  type Clock,
  dns01ProviderNames,
  implementedDns01Providers,
  ValidationError,
} from "@certplane/domain";
import { AcmeDnsProvider, parseAcmeDnsAccounts } from "./acme-dns-provider.ts";
import { azureDnsProviderFor } from "./azure-dns-provider-for.ts";
import { CloudflareProvider } from "./cloudflare-provider.ts";
import { DigitalOceanProvider } from "./digitalocean-provider.ts";
import type { Dns01Provider } from "./dns01-provider.ts";
import { googleCloudDnsProviderFor } from "./google-cloud-dns-provider-for.ts";
import { parseNameserver } from "./rfc2136/transport.ts";
import { parseTsigAlgorithm } from "./rfc2136/tsig.ts";
import { Rfc2136Provider } from "./rfc2136-provider.ts";
import { route53ProviderFor } from "./route53/route53-provider-for.ts";
import { type ReadSecret, solverSecret } from "./solver-secret.ts";
import { WebhookProvider } from "./webhook-provider.ts";

export interface Dns01ProviderDeps {
  /** The value under `key` of the Secret `name` in the issuer's namespace. */
  readonly readSecret: ReadSecret;
  /** Whether this issuer may use the acme-solver's own cloud credentials (cert-manager: ClusterIssuers only). */
  readonly ambientCredentials?: boolean;
  /** Deployment configuration: the URL serving a webhook solver (cert-manager's API service for the group). */
  webhookUrl?(groupName: string, solverName: string): string | undefined;
  /** The providers' API roots (AcmeSolverConfig.dns01ProviderApis); each provider's public one when absent. */
  readonly cloudflareBaseUrl?: string;
  readonly digitaloceanBaseUrl?: string;
  /** Azure Resource Manager and the Microsoft identity platform (one URL may serve both). */
  readonly azureManagementUrl?: string;
  readonly azureLoginUrl?: string;
  /** The Cloud DNS API root and Google's OAuth2 token endpoint. */
  readonly googleDnsUrl?: string;
  readonly googleTokenUrl?: string;
  readonly clock?: Clock;
  readonly timeoutMs?: number;
}

/** Builds the provider of a cert-manager `dns01` solver; secrets are read now, so a missing one fails here. */
export async function dns01ProviderFor(
  spec: AcmeDns01Solver,
  deps: Dns01ProviderDeps,
): Promise<Dns01Provider> {
  const configured = dns01ProviderNames.filter((name) => spec[name] !== undefined);
  if (configured.length > 1) {
    throw ValidationError.of(
      "dns01",
      "oneProvider",
      `may not specify more than one provider type (${configured.join(", ")})`,
    );
  }
  const [name] = configured;
  if (name === undefined) throw ValidationError.of("dns01", "oneProvider", "no DNS01 provider specified");
  if (spec.rfc2136) return await rfc2136(spec.rfc2136, deps);
  if (spec.cloudflare) return await cloudflare(spec.cloudflare, deps);
  if (spec.route53) {
    return await route53ProviderFor(spec.route53, {
      readSecret: deps.readSecret,
      ambientCredentials: deps.ambientCredentials ?? false,
      ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
    });
  }
  if (spec.acmeDNS) return await acmeDns(spec.acmeDNS, deps);
  if (spec.azureDNS) return await azureDnsProviderFor(spec.azureDNS, deps);
  if (spec.cloudDNS) return await googleCloudDnsProviderFor(spec.cloudDNS, deps);
  if (spec.digitalocean) {
    const token = await solverSecret(
      spec.digitalocean.tokenSecretRef,
      "dns01.digitalocean.tokenSecretRef",
      deps.readSecret,
    );
    return new DigitalOceanProvider({ token, baseUrl: deps.digitaloceanBaseUrl, timeoutMs: deps.timeoutMs });
  }
  if (spec.webhook) {
    const { groupName, solverName, config } = spec.webhook;
    const url = deps.webhookUrl?.(groupName, solverName);
    if (url === undefined) {
      throw ValidationError.of(
        "dns01.webhook",
        "configured",
        `no endpoint is configured for webhook ${groupName}/${solverName}`,
      );
    }
    return new WebhookProvider({ url, config, timeoutMs: deps.timeoutMs });
  }
  throw ValidationError.of(
    `dns01.${name}`,
    "supported",
    `the ${name} DNS01 provider is not supported yet; certplane implements ${implementedDns01Providers.join(", ")}`,
  );
}

async function rfc2136(spec: AcmeRfc2136Provider, deps: Dns01ProviderDeps): Promise<Dns01Provider> {
  const field = "dns01.rfc2136";
  parseNameserver(spec.nameserver, `${field}.nameserver`);
  // cert-manager's default when tsigAlgorithm is empty.
  const algorithm = parseTsigAlgorithm(spec.tsigAlgorithm || "HMACMD5");
  if (!algorithm) {
    throw ValidationError.of(
      `${field}.tsigAlgorithm`,
      "oneOf",
      `${spec.tsigAlgorithm} is not one of HMACMD5, HMACSHA1, HMACSHA256, HMACSHA512`,
    );
  }
  const options = {
    nameserver: spec.nameserver,
    protocol: spec.protocol,
    clock: deps.clock,
    timeoutMs: deps.timeoutMs,
  };
  if (!spec.tsigKeyName) return new Rfc2136Provider(options);
  const tsigSecret = await solverSecret(
    spec.tsigSecretSecretRef,
    `${field}.tsigSecretSecretRef`,
    deps.readSecret,
  );
  return new Rfc2136Provider({ ...options, tsig: { name: spec.tsigKeyName, algorithm, secret: tsigSecret } });
}

async function cloudflare(spec: AcmeCloudflareProvider, deps: Dns01ProviderDeps): Promise<Dns01Provider> {
  const field = "dns01.cloudflare";
  if (spec.apiKeySecretRef && spec.apiTokenSecretRef) {
    throw ValidationError.of(field, "oneOf", "apiKeySecretRef and apiTokenSecretRef may not both be set");
  }
  const common = { baseUrl: deps.cloudflareBaseUrl, timeoutMs: deps.timeoutMs };
  if (spec.apiTokenSecretRef) {
    const apiToken = await solverSecret(
      spec.apiTokenSecretRef,
      `${field}.apiTokenSecretRef`,
      deps.readSecret,
    );
    return new CloudflareProvider({ ...common, auth: { kind: "token", apiToken } });
  }
  if (!spec.apiKeySecretRef) {
    throw ValidationError.of(field, "oneOf", "one of apiKeySecretRef or apiTokenSecretRef must be set");
  }
  if (!spec.email)
    throw ValidationError.of(`${field}.email`, "required", "email is required with apiKeySecretRef");
  const apiKey = await solverSecret(spec.apiKeySecretRef, `${field}.apiKeySecretRef`, deps.readSecret);
  return new CloudflareProvider({ ...common, auth: { kind: "key", email: spec.email, apiKey } });
}

async function acmeDns(
  spec: NonNullable<AcmeDns01Solver["acmeDNS"]>,
  deps: Dns01ProviderDeps,
): Promise<Dns01Provider> {
  const { host, accountSecretRef } = spec;
  if (!URL.canParse(host) || !/^https?:$/.test(new URL(host).protocol)) {
    throw ValidationError.of(
      "dns01.acmeDNS.host",
      "url",
      `${host} is not an http(s) URL of an acme-dns server`,
    );
  }
  const secretField = "dns01.acmeDNS.accountSecretRef";
  const json = await solverSecret(accountSecretRef, secretField, deps.readSecret);
  return new AcmeDnsProvider({
    host,
    accounts: parseAcmeDnsAccounts(json, secretField),
    timeoutMs: deps.timeoutMs,
  });
}

import {
  type AcmeCloudflareProvider,
  type AcmeDns01Solver,
  type AcmeRfc2136Provider,
  type Clock,
  dns01ProviderNames,
  ValidationError,
} from "@certplane/domain";
import { CloudflareProvider } from "./cloudflare-provider.ts";
import type { Dns01Provider } from "./dns01-provider.ts";
import { parseNameserver } from "./rfc2136/transport.ts";
import { parseTsigAlgorithm } from "./rfc2136/tsig.ts";
import { Rfc2136Provider } from "./rfc2136-provider.ts";
import { WebhookProvider } from "./webhook-provider.ts";

export interface Dns01ProviderDeps {
  /** The value under `key` of the Secret `name` in the issuer's namespace. */
  readSecret(name: string, key: string): Promise<string>;
  /** Deployment configuration: the URL serving a webhook solver (cert-manager's API service for the group). */
  webhookUrl?(groupName: string, solverName: string): string | undefined;
  readonly cloudflareBaseUrl?: string;
  readonly clock?: Clock;
  readonly timeoutMs?: number;
}

const supported = ["cloudflare", "rfc2136", "webhook"];

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
    `the ${name} DNS01 provider is not supported yet; certplane implements ${supported.join(", ")}`,
  );
}

async function secret(
  ref: { name: string; key?: string } | undefined,
  field: string,
  deps: Dns01ProviderDeps,
) {
  if (!ref?.name) throw ValidationError.of(`${field}.name`, "required", "secret name is required");
  if (!ref.key) throw ValidationError.of(`${field}.key`, "required", "secret key is required");
  return (await deps.readSecret(ref.name, ref.key)).trim();
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
  const tsigSecret = await secret(spec.tsigSecretSecretRef, `${field}.tsigSecretSecretRef`, deps);
  return new Rfc2136Provider({ ...options, tsig: { name: spec.tsigKeyName, algorithm, secret: tsigSecret } });
}

async function cloudflare(spec: AcmeCloudflareProvider, deps: Dns01ProviderDeps): Promise<Dns01Provider> {
  const field = "dns01.cloudflare";
  if (spec.apiKeySecretRef && spec.apiTokenSecretRef) {
    throw ValidationError.of(field, "oneOf", "apiKeySecretRef and apiTokenSecretRef may not both be set");
  }
  const common = { baseUrl: deps.cloudflareBaseUrl, timeoutMs: deps.timeoutMs };
  if (spec.apiTokenSecretRef) {
    const apiToken = await secret(spec.apiTokenSecretRef, `${field}.apiTokenSecretRef`, deps);
    return new CloudflareProvider({ ...common, auth: { kind: "token", apiToken } });
  }
  if (!spec.apiKeySecretRef) {
    throw ValidationError.of(field, "oneOf", "one of apiKeySecretRef or apiTokenSecretRef must be set");
  }
  if (!spec.email)
    throw ValidationError.of(`${field}.email`, "required", "email is required with apiKeySecretRef");
  const apiKey = await secret(spec.apiKeySecretRef, `${field}.apiKeySecretRef`, deps);
  return new CloudflareProvider({ ...common, auth: { kind: "key", email: spec.email, apiKey } });
}

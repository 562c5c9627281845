import type { AcmeDns01Solver, Clock } from "@certplane/domain";
import { NotFoundError } from "@certplane/domain";
import { secretDecider, streams } from "@certplane/domain/model";
import type { KeyEncryptionKey } from "@certplane/pki";
import { open, secretValueAad } from "@certplane/pki";
import type { AggregateRunner } from "@certplane/runtime";
import type { AcmeSolverConfig } from "./config.ts";
import { dns01ProviderFor } from "./dns/dns01-provider-for.ts";
import { AuthoritativePropagationChecker } from "./dns/propagation-check.ts";
import type { Dns01Support } from "./dns01-support.ts";

/**
 * DNS-01 as deployed: credentials come from certplane's own secret store (sealed values opened
 * with the KEK only in memory), webhook endpoints and the Cloudflare URL from configuration.
 */
export function createDefaultDns01Support(deps: {
  readonly runner: AggregateRunner;
  readonly kek: KeyEncryptionKey;
  readonly clock: Clock;
  readonly config: AcmeSolverConfig;
}): Dns01Support {
  const { runner, kek, config } = deps;
  const readSecret = async (namespace: string, name: string, key: string): Promise<string> => {
    const { state } = await runner.load(streams.secret(namespace, name), secretDecider);
    if (state.status !== "present") throw new NotFoundError(`secret ${namespace}/${name} not found`);
    const sealed = state.content.sealedData[key];
    if (sealed !== undefined)
      return open(kek, sealed, secretValueAad({ namespace, name }, key)).toString("utf8");
    const value = state.content.data[key];
    if (value === undefined) throw new NotFoundError(`secret ${namespace}/${name} has no key "${key}"`);
    return value;
  };
  return {
    providerFor: (solver, { secretNamespace, clusterIssuer }) =>
      dns01ProviderFor(solver, {
        readSecret: (name, key) => readSecret(secretNamespace, name, key),
        ambientCredentials: clusterIssuer === true,
        webhookUrl: (group, solverName) => config.dns01Webhooks[`${group}/${solverName}`],
        cloudflareBaseUrl: config.dns01ProviderApis.cloudflare,
        digitaloceanBaseUrl: config.dns01ProviderApis.digitalocean,
        azureManagementUrl: config.dns01ProviderApis.azureManagement,
        azureLoginUrl: config.dns01ProviderApis.azureLogin,
        googleDnsUrl: config.dns01ProviderApis.googleDns,
        googleTokenUrl: config.dns01ProviderApis.googleToken,
        clock: deps.clock,
      }),
    propagationChecker: (solver: AcmeDns01Solver) =>
      new AuthoritativePropagationChecker({
        ...(solver.nameservers?.length ? { nameservers: solver.nameservers } : {}),
        recursiveNameservers: config.dns01RecursiveNameservers,
        recursiveOnly: config.dns01RecursiveNameserversOnly,
      }),
  };
}

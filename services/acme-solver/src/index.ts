export type {
  AcmeAuthorizationResource,
  AcmeChallengeResource,
  AcmeClient,
  AcmeClientFactory,
  AcmeClientOptions,
  AcmeIdentifier,
  AcmeOrderResource,
} from "./acme-client.ts";
export { AcmeRequestError } from "./acme-request-error.ts";
export { createAcmeHttpClient } from "./adapters/acme-http-client.ts";
export type { AcmeSolverConfig } from "./config.ts";
export { parseAcmeSolverConfig } from "./config.ts";
export type { Dns01Provider, Dns01Record, PropagationChecker } from "./dns/dns01-provider.ts";
export type { Dns01Support } from "./dns01-support.ts";
export type { AcmeSolverService, AcmeSolverServiceDeps } from "./service.ts";
export { startAcmeSolverService } from "./service.ts";

export type { FileSecretTargetOptions } from "./adapters/file-secret-target.ts";
export { FileSecretTarget } from "./adapters/file-secret-target.ts";
export type { SecretPublisherConfig } from "./config.ts";
export { parseSecretPublisherConfig } from "./config.ts";
export type { PublishedSecret, SecretRef, SecretTarget } from "./secrets/secret-target.ts";
export type { SecretPublisherDeps } from "./service.ts";
export { startSecretPublisherService } from "./service.ts";

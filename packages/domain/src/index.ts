export type {
  AccessAttempt,
  AccessDecision,
  AccessPolicy,
  AccessResource,
  AccessVerb,
} from "./access/access-policy.ts";
export {
  accessResources,
  accessVerbs,
  decideAccess,
  describeScope,
  parseAccessPolicy,
  parseAccessResource,
} from "./access/access-policy.ts";
export type { Clock } from "./clock.ts";
export { systemClock } from "./clock.ts";
export type { Decider } from "./decider.ts";
export { fold } from "./decider.ts";
export type { GoDurationReading } from "./duration.ts";
export { formatGoDuration, parseGoDuration, readGoDuration } from "./duration.ts";
export type { ErrorCode, ErrorPayload, FieldIssue } from "./errors.ts";
export {
  AlreadyExistsError,
  CertplaneError,
  ConcurrencyError,
  errorFromPayload,
  ForbiddenError,
  formatFieldIssue,
  isCertplaneError,
  NoRespondersError,
  NotFoundError,
  OwnershipError,
  PayloadTooLargeError,
  TimeoutError,
  TransientError,
  toErrorPayload,
  UnavailableError,
  ValidationError,
} from "./errors.ts";
export type {
  Checkpoint,
  DomainEvent,
  EventChainLink,
  EventMetadata,
  ExpectedVersion,
  NewEvent,
  RecordedEvent,
  StreamVersion,
} from "./events.ts";
export type { DomainEventType, OwnerCommandRoute, ServiceName } from "./ownership.ts";
export {
  categoriesOwnedBy,
  categoryOwners,
  eventCategories,
  ownerCommandRoute,
  ownerCommandRoutes,
  ownerCommandSubject,
  services,
} from "./ownership.ts";
export type {
  AcmeChallengeSolver,
  AcmeCloudflareProvider,
  AcmeDns01Solver,
  AcmeHttp01Ingress,
  AcmeHttp01Solver,
  AcmeRfc2136Provider,
  AcmeRoute53Provider,
  AcmeSolverSelector,
  AcmeWebhookProvider,
  Dns01ProviderName,
} from "./resources/acme-solver.ts";
export {
  acmeChallengeSolverSchema,
  dns01ProviderNames,
  implementedDns01Providers,
} from "./resources/acme-solver.ts";
export type { AcmeState, ChallengeType } from "./resources/acme-state.ts";
export type {
  Certificate,
  CertificatePrivateKey,
  CertificateRenewal,
  CertificateSpec,
  CertificateStatus,
  KeyUsage,
  NameConstraintItems,
  PrivateKeyAlgorithm,
  PrivateKeyEncoding,
  PrivateKeyRotationPolicy,
  RenewalWindow,
  SignatureAlgorithm,
  X509Subject,
} from "./resources/certificate.ts";
export {
  certificateSchema,
  certificateSpecSchema,
  isKeyUsage,
  keyUsages,
  privateKeyAlgorithms,
  signatureAlgorithms,
} from "./resources/certificate.ts";
export type {
  CertificateRequest,
  CertificateRequestSpec,
  CertificateRequestStatus,
} from "./resources/certificate-request.ts";
export { certificateRequestSchema } from "./resources/certificate-request.ts";
export type { Challenge, ChallengeSpec, ChallengeStatus } from "./resources/challenge.ts";
export { challengeSchema } from "./resources/challenge.ts";
export type { Condition, ConditionStatus } from "./resources/condition.ts";
export { conditionSchema } from "./resources/condition.ts";
export type { Namespace, Secret } from "./resources/core.ts";
export { namespaceSchema, secretSchema } from "./resources/core.ts";
export type {
  AcmeIssuer,
  CaIssuer,
  ClusterIssuer,
  Issuer,
  IssuerSpec,
  IssuerStatus,
  IssuerType,
  SelfSignedIssuer,
  VaultIssuer,
  VenafiIssuer,
} from "./resources/issuer.ts";
export { clusterIssuerSchema, issuerSchema, issuerSpecSchema, issuerTypes } from "./resources/issuer.ts";
export type { ObjectMeta, OwnerReference } from "./resources/object-meta.ts";
export type { Order, OrderAuthorization, OrderSpec, OrderStatus } from "./resources/order.ts";
export { orderSchema } from "./resources/order.ts";
export type {
  IssuerReference,
  LocalObjectReference,
  SecretKeySelector,
  ServiceAccountRef,
} from "./resources/references.ts";
export type { KindInfo, Resource, ResourceKind, ResourceOfKind } from "./resources/resource.ts";
export { kindInfoFor, resourceKinds } from "./resources/resource.ts";
export type {
  NatsKVTargetSpec,
  SecretTarget,
  SecretTargetSpec,
  SecretTargetType,
  VaultKVTargetSpec,
} from "./resources/secret-target.ts";
export {
  defaultKubeconfigKey,
  defaultNatsKVPrivateKeys,
  secretTargetApiVersion,
  secretTargetSchema,
  secretTargetsAnnotation,
  secretTargetTypes,
} from "./resources/secret-target.ts";
export type { Upcaster, VersionedEvent } from "./upcasting.ts";
export { UpcasterChain } from "./upcasting.ts";
export type { EffectiveCertificateSpec } from "./validation/certificate-defaults.ts";
export {
  applyCertificateDefaults,
  DEFAULT_CERTIFICATE_DURATION_MS,
  DEFAULT_KEY_USAGES,
  effectiveDurationMs,
  MINIMUM_CERTIFICATE_DURATION_MS,
  MINIMUM_RENEW_BEFORE_MS,
} from "./validation/certificate-defaults.ts";
export type { CronReading, CronSchedule } from "./validation/cron.ts";
export { isTimeZone, parseCron } from "./validation/cron.ts";
export { EXT_KEY_USAGE_OID, KEY_USAGE_BIT } from "./validation/key-usage-encoding.ts";
export type { LiteralSubjectReading, SubjectAttribute } from "./validation/literal-subject.ts";
export { parseLiteralSubject } from "./validation/literal-subject.ts";
export type { PolicyCheck, Violation } from "./validation/policy-check.ts";
export { runChecks } from "./validation/policy-check.ts";
export type { ResourceValidation } from "./validation/validate-resource.ts";
export { parseResource, validateResource } from "./validation/validate-resource.ts";

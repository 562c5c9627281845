export type { AcmeFailureStatus, AcmeProblem, AcmeStatus } from "./acme-problem.ts";
export { describeProblem, problemTypeName } from "./acme-problem.ts";
export type { BackoffPolicy, FailureRecord } from "./backoff.ts";
export { backoffDelayMs, defaultBackoffPolicy, nextAttemptTime } from "./backoff.ts";
export type {
  ActiveCertificate,
  CertificateCommand,
  CertificateEvent,
  CertificateIssuanceCommand,
  CertificateSpecCommand,
  CertificateSpecFields,
  CertificateState,
  IssuanceFailure,
  IssuanceInProgress,
  IssuanceTriggerReason,
  IssuedCertificate,
  RevisionRecord,
  ScheduledRenewal,
} from "./certificate.ts";
export {
  certificateDecider,
  certificateIssuanceDecider,
  changedIssuanceFields,
  issuanceRelevantFields,
} from "./certificate.ts";
export type {
  CertificateRequestCommand,
  CertificateRequestEvent,
  CertificateRequestSpecFields,
  CertificateRequestState,
  ConditionChange,
  ExistingCertificateRequest,
  RequestPhase,
} from "./certificate-request.ts";
export { certificateRequestDecider, requestAnnotations } from "./certificate-request.ts";
export type { CertificateStatus } from "./certificate-status.ts";
export { certificateStatus, nextPrivateKeySecretName } from "./certificate-status.ts";
export type {
  ChallengeCommand,
  ChallengeEvent,
  ChallengeKind,
  ChallengeMeta,
  ChallengeSpecFields,
  ChallengeState,
  ExistingChallenge,
} from "./challenge.ts";
export { challengeDecider, isChallengeFinal } from "./challenge.ts";
export type { Condition, ConditionStatus } from "./conditions.ts";
export { findCondition, removeCondition, setCondition } from "./conditions.ts";
export type {
  AcmeAccountStatus,
  ExistingIssuer,
  IssuerCommand,
  IssuerEvent,
  IssuerReadiness,
  IssuerSpecFields,
  IssuerState,
  IssuerStatusCommand,
  IssuerType,
} from "./issuer.ts";
export { issuerDecider, issuerReadyCondition, issuerStatusDecider, issuerTypeOf } from "./issuer.ts";
export type { ObjectMeta, UserMeta } from "./object-meta.ts";
export { canonicalJson, jsonEqual } from "./object-meta.ts";
export type {
  ExistingOrder,
  OrderAuthorization,
  OrderChallengeOffer,
  OrderCommand,
  OrderEvent,
  OrderMeta,
  OrderSpecFields,
  OrderState,
} from "./order.ts";
export { isOrderFinal, orderDecider } from "./order.ts";
export type {
  RenewalJitter,
  RenewalSchedule,
  RenewalScheduleInput,
  RenewalSpec,
} from "./renewal-schedule.ts";
export { renewalSchedule } from "./renewal-schedule.ts";
export type { RenewalWindowSpec, WindowPlacement } from "./renewal-windows.ts";
export { nextCronFiring, placeInRenewalWindows } from "./renewal-windows.ts";
export type { ApplyInput, ApplyOutcome } from "./resource-lifecycle.ts";
export { planApply } from "./resource-lifecycle.ts";
export type {
  SealedValue,
  SecretCommand,
  SecretContent,
  SecretEvent,
  SecretOwner,
  SecretState,
} from "./secret.ts";
export { sameOwner, sealedPrefix, secretDecider } from "./secret.ts";
export type { StreamCategory, StreamRef } from "./streams.ts";
export {
  issuerStreamFor,
  objectStreamsOf,
  parseStreamName,
  primaryStreamOf,
  streamName,
  streams,
  withCompanionCategories,
} from "./streams.ts";
export type {
  PublicKeyFacts,
  SecretFacts,
  TriggerCertificate,
  TriggerInput,
} from "./trigger-input.ts";
export { secretAnnotations } from "./trigger-input.ts";
export type { TriggerCheck, TriggerVerdict } from "./trigger-policies.ts";
export { firstReissueReason, reissueTriggerChain } from "./trigger-policies.ts";

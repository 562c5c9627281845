export type { ConditionStatus } from "../resources/condition.ts";
export type { IssuerType } from "../resources/issuer.ts";
export type { AcmeFailureStatus, AcmeProblem, AcmeStatus } from "./acme-problem.ts";
export { describeProblem, problemTypeName } from "./acme-problem.ts";
export type { BackoffPolicy, FailureRecord } from "./backoff.ts";
export { backoffDelayMs, defaultBackoffPolicy, nextAttemptTime } from "./backoff.ts";
export type {
  CertificateCommand,
  CertificateIssuanceCommand,
  CertificateSpecCommand,
} from "./certificate/commands.ts";
export { certificateDecider } from "./certificate/decide.ts";
export { certificateIssuanceDecider } from "./certificate/decide-issuance.ts";
export type { CertificateEvent, IssuanceTriggerReason } from "./certificate/events.ts";
export { changedIssuanceFields, issuanceRelevantFields } from "./certificate/issuance-fields.ts";
export type {
  ActiveCertificate,
  CertificateState,
  IssuanceFailure,
  IssuanceInProgress,
  IssuancePhase,
  IssuedCertificate,
  RevisionRecord,
  ScheduledRenewal,
} from "./certificate/state.ts";
export { latestFailure } from "./certificate/state.ts";
export type { CertificateStatus } from "./certificate/status.ts";
export { certificateStatus, nextPrivateKeySecretName } from "./certificate/status.ts";
export { requestAnnotations } from "./certificate-request/annotations.ts";
export type { CertificateRequestCommand } from "./certificate-request/commands.ts";
export { certificateRequestDecider } from "./certificate-request/decide.ts";
export type {
  CertificateRequestEvent,
  CertificateRequestSpecFields,
  ConditionChange,
} from "./certificate-request/events.ts";
export { issuedMessage } from "./certificate-request/events.ts";
export type {
  CertificateRequestState,
  ExistingCertificateRequest,
  RequestPhase,
} from "./certificate-request/state.ts";
export type { ChallengeCommand } from "./challenge/commands.ts";
export { challengeDecider } from "./challenge/decide.ts";
export type {
  ChallengeEvent,
  ChallengeKind,
  ChallengeMeta,
  ChallengeSpecFields,
} from "./challenge/events.ts";
export type { ChallengeState, ExistingChallenge } from "./challenge/state.ts";
export { isChallengeFinal } from "./challenge/state.ts";
export type { StoredCondition } from "./conditions.ts";
export { findCondition, removeCondition, setCondition } from "./conditions.ts";
export type { DefaultIssuer, IngressCertificate, IngressLike } from "./ingress/ingress-certificates.ts";
export {
  certificatesForIngress,
  ingressAnnotations,
  ingressClusterAnnotation,
  ingressNamesIssuer,
  ingressSourceAnnotation,
} from "./ingress/ingress-certificates.ts";
export type {
  ExistingCertificate,
  IngressSource,
  IngressSyncPlan,
} from "./ingress/ingress-sync.ts";
export { describeIngressSource, madeFromIngress, planIngressSync } from "./ingress/ingress-sync.ts";
export type { IssuerCommand, IssuerStatusCommand } from "./issuer/commands.ts";
export { issuerDecider } from "./issuer/decide.ts";
export { issuerStatusDecider } from "./issuer/decide-status.ts";
export type { AcmeAccountStatus, IssuerEvent, IssuerReadiness, IssuerSpecFields } from "./issuer/events.ts";
export type { ExistingIssuer, IssuerState } from "./issuer/state.ts";
export { issuerTypeOf } from "./issuer/state.ts";
export { issuerReadyCondition } from "./issuer/status.ts";
export type { StoredObjectMeta, UserMeta } from "./object-meta.ts";
export { canonicalJson, jsonEqual } from "./object-meta.ts";
export type { OrderCommand } from "./order/commands.ts";
export { orderDecider } from "./order/decide.ts";
export type {
  OrderAuthorization,
  OrderChallengeOffer,
  OrderEvent,
  OrderMeta,
  OrderSpecFields,
} from "./order/events.ts";
export type { ExistingOrder, OrderState } from "./order/state.ts";
export { isOrderFinal } from "./order/state.ts";
export type {
  PublicationCommand,
  PublicationEvent,
  PublicationFailure,
  PublicationState,
  PublishedContent,
  PublishedCopy,
} from "./publication/publication.ts";
export {
  evolvePublication,
  initialPublicationState,
  publicationBackoffPolicy,
  publicationDecider,
} from "./publication/publication.ts";
export type {
  CertificatePublication,
  TargetPublicationStatus,
} from "./publication/publication-status.ts";
export { certificatePublication } from "./publication/publication-status.ts";
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
export type { SecretCommand } from "./secret/commands.ts";
export { secretDecider } from "./secret/decide.ts";
export type { SecretContent, SecretEvent } from "./secret/events.ts";
export type { SecretOwner } from "./secret/owner.ts";
export { sameOwner } from "./secret/owner.ts";
export type { SealedValue } from "./secret/sealed-value.ts";
export { sealedPrefix } from "./secret/sealed-value.ts";
export type { SecretState } from "./secret/state.ts";
export type {
  ExistingSecretTarget,
  SecretTargetCommand,
  SecretTargetEvent,
  SecretTargetReadiness,
  SecretTargetState,
  SecretTargetStatusCommand,
} from "./secret-target/secret-target.ts";
export {
  evolveSecretTarget,
  initialSecretTargetState,
  secretTargetDecider,
  secretTargetStatusDecider,
} from "./secret-target/secret-target.ts";
export type { SelectableCertificate } from "./secret-target/selection.ts";
export { namedTargets, targetSelects } from "./secret-target/selection.ts";
export type { StreamCategory, StreamRef } from "./streams.ts";
export {
  issuerStreamFor,
  objectStreamsOf,
  parsePublicationStream,
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

export type { Clock } from "./clock.ts";
export { systemClock } from "./clock.ts";
export type { Decider } from "./decider.ts";
export { fold } from "./decider.ts";
export type { ErrorCode, ErrorPayload, FieldIssue } from "./errors.ts";
export {
  AlreadyExistsError,
  CertplaneError,
  ConcurrencyError,
  errorFromPayload,
  ForbiddenError,
  isCertplaneError,
  NoRespondersError,
  NotFoundError,
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
  EventMetadata,
  ExpectedVersion,
  NewEvent,
  RecordedEvent,
  StreamVersion,
} from "./events.ts";
export type { Upcaster, VersionedEvent } from "./upcasting.ts";
export { UpcasterChain } from "./upcasting.ts";

// One error class per failure kind, each with a stable code so that errors survive the bus
// (see toErrorPayload / errorFromPayload) and callers branch on `code`, never on message text.

export type ErrorCode =
  | "VALIDATION"
  | "CONCURRENCY"
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "TRANSIENT"
  | "TIMEOUT"
  | "NO_RESPONDERS"
  | "PAYLOAD_TOO_LARGE"
  | "FORBIDDEN"
  | "UNAVAILABLE"
  | "OWNERSHIP"
  | "INTERNAL";

/** One broken rule in user input: where (dotted field path, cert-manager style) and what. */
export interface FieldIssue {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
  /** The object at fault when input holds several (`Certificate demo-apps/myapp-tls`). */
  readonly object?: string;
}

/** `Certificate ns/name: spec.field: message`, the line a person reads. */
export function formatFieldIssue(issue: FieldIssue): string {
  const where = issue.field === "" ? "" : `${issue.field}: `;
  return `${issue.object ? `${issue.object}: ` : ""}${where}${issue.message}`;
}

export interface ErrorPayload {
  readonly code: ErrorCode;
  readonly message: string;
  readonly field?: string;
  readonly issues?: readonly FieldIssue[];
  readonly retryable?: boolean;
}

export class CertplaneError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly field: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { retryable?: boolean; field?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.field = options.field;
  }

  toPayload(): ErrorPayload {
    return {
      code: this.code,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      retryable: this.retryable,
    };
  }
}

/** Input broke one or more rules; nothing was changed. */
export class ValidationError extends CertplaneError {
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[], options: { cause?: unknown } = {}) {
    const first = issues[0];
    super("VALIDATION", issues.map(formatFieldIssue).join("; ") || "invalid input", {
      ...(first ? { field: first.field } : {}),
      ...options,
    });
    this.issues = issues;
  }

  static of(field: string, rule: string, message: string): ValidationError {
    return new ValidationError([{ field, rule, message }]);
  }

  override toPayload(): ErrorPayload {
    return { ...super.toPayload(), issues: this.issues };
  }
}

/** An append's expected version did not match the stream; re-read and decide again. */
export class ConcurrencyError extends CertplaneError {
  readonly stream: string;

  constructor(stream: string, detail: string, options: { cause?: unknown } = {}) {
    super("CONCURRENCY", `stream ${stream} was changed concurrently: ${detail}`, {
      retryable: true,
      ...options,
    });
    this.stream = stream;
  }
}

export class NotFoundError extends CertplaneError {
  constructor(message: string, options: { cause?: unknown; field?: string } = {}) {
    super("NOT_FOUND", message, options);
  }
}

export class AlreadyExistsError extends CertplaneError {
  constructor(message: string, options: { cause?: unknown; field?: string } = {}) {
    super("ALREADY_EXISTS", message, options);
  }
}

/** A dependency failed in a way that may pass; the same call may succeed later. */
export class TransientError extends CertplaneError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("TRANSIENT", message, { retryable: true, ...options });
  }
}

export class TimeoutError extends CertplaneError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("TIMEOUT", message, { retryable: true, ...options });
  }
}

/** Nobody listens on a subject: reported at once, not after a timeout. */
export class NoRespondersError extends CertplaneError {
  readonly subject: string;

  constructor(subject: string, options: { cause?: unknown } = {}) {
    super("NO_RESPONDERS", `no service is answering on ${subject}; is it running?`, {
      retryable: true,
      ...options,
    });
    this.subject = subject;
  }
}

export class PayloadTooLargeError extends CertplaneError {
  constructor(message: string, options: { cause?: unknown; field?: string } = {}) {
    super("PAYLOAD_TOO_LARGE", message, options);
  }
}

export class ForbiddenError extends CertplaneError {
  constructor(message: string, options: { cause?: unknown; field?: string } = {}) {
    super("FORBIDDEN", message, options);
  }
}

export class UnavailableError extends CertplaneError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("UNAVAILABLE", message, { retryable: true, ...options });
  }
}

/**
 * A service tried to append to a stream category it does not own, or to send a command the owner
 * table does not list: a programming error, never retried. ARCHITECTURE.md names every owner.
 */
export class OwnershipError extends CertplaneError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("OWNERSHIP", message, options);
  }
}

export function isCertplaneError(value: unknown): value is CertplaneError {
  return value instanceof CertplaneError;
}

/** Rebuilds a typed error from its wire form, so a remote failure reads like a local one. */
export function errorFromPayload(payload: ErrorPayload): CertplaneError {
  const { code, message } = payload;
  const field = payload.field === undefined ? {} : { field: payload.field };
  switch (code) {
    case "VALIDATION":
      return new ValidationError(
        payload.issues ?? [{ field: payload.field ?? "", rule: "invalid", message }],
      );
    case "CONCURRENCY":
      return new CertplaneError(code, message, { retryable: true });
    case "NOT_FOUND":
      return new NotFoundError(message, field);
    case "ALREADY_EXISTS":
      return new AlreadyExistsError(message, field);
    case "FORBIDDEN":
      return new ForbiddenError(message, field);
    case "PAYLOAD_TOO_LARGE":
      return new PayloadTooLargeError(message, field);
    case "TRANSIENT":
      return new TransientError(message);
    case "TIMEOUT":
      return new TimeoutError(message);
    case "UNAVAILABLE":
      return new UnavailableError(message);
    case "NO_RESPONDERS":
      return new CertplaneError(code, message, { retryable: true });
    case "OWNERSHIP":
      return new OwnershipError(message);
    default:
      return new CertplaneError(code, message, field);
  }
}

export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof CertplaneError) return error.toPayload();
  return { code: "INTERNAL", message: error instanceof Error ? error.message : String(error) };
}

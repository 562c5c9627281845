import {
  CertplaneError,
  ForbiddenError,
  NotFoundError,
  TimeoutError,
  TransientError,
  ValidationError,
} from "@certplane/domain";

interface AwsErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const forbidden = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "ExpiredToken",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "UnrecognizedClientException",
]);
const transient = new Set([
  "Throttling",
  "ThrottlingException",
  "PriorRequestNotComplete",
  "ServiceUnavailable",
]);

const permissions =
  "check that the credentials are valid and allowed route53:ChangeResourceRecordSets, route53:GetChange " +
  "and (without hostedZoneID) route53:ListHostedZonesByName, or sts:AssumeRole on the role";

/** Translates an AWS SDK error into certplane's errors, saying what to change; AWS messages hold no secrets. */
export function route53Failure(error: unknown, what: string): Error {
  if (error instanceof CertplaneError) return error;
  const aws = (error ?? {}) as AwsErrorShape;
  const name = aws.name ?? "Error";
  const status = aws.$metadata?.httpStatusCode;
  const detail = `${what}: ${name}${status ? ` (HTTP ${status})` : ""}: ${aws.message ?? String(error)}`;
  const options = { cause: error };
  if (name === "CredentialsProviderError") {
    return new ForbiddenError(
      `${detail}; set accessKeyID or accessKeyIDSecretRef with secretAccessKeySecretRef on dns01.route53, ` +
        "or give the acme-solver ambient AWS credentials (environment, shared profile or instance role)",
      options,
    );
  }
  if (forbidden.has(name) || status === 401 || status === 403) {
    return new ForbiddenError(`${detail}; ${permissions}`, options);
  }
  if (name === "NoSuchHostedZone") {
    return new NotFoundError(`${detail}; check dns01.route53.hostedZoneID`, {
      ...options,
      field: "dns01.route53.hostedZoneID",
    });
  }
  if (name === "TimeoutError" || aws.code === "ETIMEDOUT") {
    return new TimeoutError(`${detail}; Route 53 did not answer in time, the challenge is retried`, options);
  }
  if (transient.has(name) || aws.$retryable || status === undefined || status === 429 || status >= 500) {
    return new TransientError(`${detail}; the challenge is retried`, options);
  }
  return new ValidationError([{ field: "dns01.route53", rule: "rejected", message: detail }], options);
}

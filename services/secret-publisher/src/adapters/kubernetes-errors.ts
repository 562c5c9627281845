import {
  CertplaneError,
  type ErrorCode,
  type FieldIssue,
  TimeoutError,
  TransientError,
} from "@certplane/domain";
import { AbortError, ApiException, FetchError } from "@kubernetes/client-node";

/** The call that failed, for messages that say what and where. */
export interface KubernetesCall {
  /** The SecretTarget's name. */
  readonly cluster: string;
  /** The RBAC verb of the request: get, patch, delete … */
  readonly verb: string;
  /** The RBAC resource: `secrets`. */
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
}

/** The `Status` object the API server answers a failed request with. */
interface KubernetesStatus {
  readonly message?: string;
  readonly reason?: string;
  readonly details?: {
    readonly name?: string;
    readonly kind?: string;
    readonly causes?: readonly {
      readonly field?: string;
      readonly message?: string;
      readonly reason?: string;
    }[];
  };
}

/**
 * The API server understood the request and refused it. `status` is the HTTP status, `reason` the
 * Status' reason (`Forbidden`, `Invalid`, `NotFound` …), `issues` the field causes it named.
 */
export class KubernetesRefusedError extends CertplaneError {
  readonly status: number;
  readonly reason: string | undefined;
  readonly issues: readonly FieldIssue[];

  constructor(
    code: ErrorCode,
    status: number,
    message: string,
    options: { reason?: string; issues?: readonly FieldIssue[]; retryable?: boolean; cause?: unknown } = {},
  ) {
    const field = options.issues?.[0]?.field;
    super(code, message, {
      ...(field === undefined ? {} : { field }),
      ...(options.retryable === undefined ? {} : { retryable: options.retryable }),
      cause: options.cause,
    });
    this.status = status;
    this.reason = options.reason;
    this.issues = options.issues ?? [];
  }
}

/**
 * The TLS handshake with the API server failed: its certificate does not verify against the
 * kubeconfig's CA, has expired, or names another host. Waiting does not fix it; the kubeconfig must.
 */
export class KubernetesTlsError extends CertplaneError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("UNAVAILABLE", message, { ...options, retryable: false });
  }
}

// Node's codes for a certificate the client refused, and for a server that does not speak TLS.
const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
]);

function parseStatus(body: unknown): KubernetesStatus {
  if (typeof body === "object" && body !== null) return body as KubernetesStatus;
  if (typeof body !== "string") return {};
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === "object" && parsed !== null ? (parsed as KubernetesStatus) : {};
  } catch {
    // A proxy in front of the API server may answer with HTML or plain text.
    return { message: body.slice(0, 300) };
  }
}

// Node system errors a connection attempt or a dropped connection report; all may pass.
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_SOCKET",
]);

/**
 * One place that turns what @kubernetes/client-node throws into certplane's errors: an
 * `ApiException` (`.code` the HTTP status, `.body` the Status as a JSON string) or node-fetch's
 * errors when no answer came. Only what waiting can fix is retryable: an unreachable server, 5xx,
 * 429 and optimistic-concurrency conflicts. Missing permissions, namespaces and invalid data need a
 * person, so they are not.
 */
export function translateKubernetesError(error: unknown, call: KubernetesCall): CertplaneError {
  if (error instanceof CertplaneError) return error;
  const secret = `Secret ${call.namespace}/${call.name} in cluster ${call.cluster}`;
  const request = `${call.verb} ${call.resource} in namespace ${call.namespace}`;
  if (error instanceof ApiException) {
    const status = parseStatus(error.body);
    const serverMessage = status.message ?? `HTTP ${error.code}`;
    const reason = status.reason;
    const refused = (
      code: ErrorCode,
      message: string,
      options: { retryable?: boolean; issues?: FieldIssue[] } = {},
    ) =>
      new KubernetesRefusedError(code, error.code, message, {
        ...options,
        ...(reason === undefined ? {} : { reason }),
        cause: error,
      });
    switch (error.code) {
      case 401:
        return refused(
          "FORBIDDEN",
          `cluster ${call.cluster} did not accept the credentials in its kubeconfig (401 Unauthorized) on ${request}: ` +
            "the token or client certificate is invalid or expired; update the kubeconfig Secret",
        );
      case 403:
        return refused(
          "FORBIDDEN",
          `cluster ${call.cluster} forbids ${request}: ${serverMessage}. ` +
            `Grant the kubeconfig's user RBAC permission to "${call.verb}" "${call.resource}" in namespace ` +
            `${call.namespace} (a Role with apiGroups [""], resources ["${call.resource}"], verbs ["${call.verb}"] and a RoleBinding)`,
        );
      case 404:
        if (status.details?.kind === "namespaces") {
          return refused(
            "NOT_FOUND",
            `cluster ${call.cluster} has no namespace ${status.details.name ?? call.namespace} for ${secret}: ` +
              "create the namespace, or map the Secret to an existing one in the SecretTarget",
          );
        }
        return refused("NOT_FOUND", `${secret}: ${serverMessage}`);
      case 409:
        // A write raced another (resourceVersion precondition, AlreadyExists): reading again and
        // re-deciding settles it.
        return refused("CONCURRENCY", `${secret} was changed concurrently: ${serverMessage}`, {
          retryable: true,
        });
      case 413:
        return refused(
          "PAYLOAD_TOO_LARGE",
          `cluster ${call.cluster} refused ${secret} as too large: ${serverMessage}`,
        );
      case 422: {
        const issues = (status.details?.causes ?? []).map((cause) => ({
          field: cause.field ?? "",
          rule: cause.reason ?? "invalid",
          message: cause.message ?? serverMessage,
          object: `Secret ${call.namespace}/${call.name}`,
        }));
        return refused(
          "VALIDATION",
          `cluster ${call.cluster} refused ${secret} as invalid: ${serverMessage}`,
          {
            issues,
          },
        );
      }
      case 429:
        return new TransientError(`cluster ${call.cluster} is throttling ${request}: ${serverMessage}`, {
          cause: error,
        });
    }
    if (error.code >= 500) {
      return new TransientError(
        `cluster ${call.cluster} failed ${request} (${error.code}): ${serverMessage}`,
        {
          cause: error,
        },
      );
    }
    return refused(
      "VALIDATION",
      `cluster ${call.cluster} refused ${request} (${error.code}): ${serverMessage}`,
    );
  }
  if (error instanceof AbortError || (error instanceof FetchError && error.type === "request-timeout")) {
    return new TimeoutError(`cluster ${call.cluster}: ${request} timed out`, { cause: error });
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && TLS_CODES.has(code)) {
    return new KubernetesTlsError(
      `cluster ${call.cluster}: TLS with the API server failed (${code}: ${(error as Error).message}); ` +
        "set the kubeconfig's certificate-authority-data to the CA that signed the API server's certificate, " +
        "and its server to a name that certificate holds",
      { cause: error },
    );
  }
  if (error instanceof FetchError || (typeof code === "string" && NETWORK_CODES.has(code))) {
    const detail = typeof code === "string" ? code : (error as Error).message;
    return new TransientError(`cluster ${call.cluster} is unreachable (${detail}) on ${request}`, {
      cause: error,
    });
  }
  // Not a client or network failure (a TLS setup error, a bug): surfaced as is, not retried blindly.
  const detail = error instanceof Error ? error.message : String(error);
  return new CertplaneError("INTERNAL", `cluster ${call.cluster}: ${request} failed: ${detail}`, {
    cause: error,
  });
}

import { ForbiddenError, TimeoutError, TransientError, ValidationError } from "@certplane/domain";

export interface HttpCallOptions {
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
}

/** One request to a DNS provider's HTTP API; no answer in time, or none at all, is retryable. */
export async function httpCall(
  url: string,
  init: { readonly method: string; readonly headers: Record<string, string>; readonly body?: string },
  what: string,
  options: HttpCallOptions,
): Promise<HttpAnswer> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  try {
    const response = await (options.fetch ?? fetch)(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    if ((error as Error).name === "TimeoutError") {
      throw new TimeoutError(`${what}: no answer within ${timeoutMs} ms`, { cause: error });
    }
    throw new TransientError(`${what} failed: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * A refusal by status: bad credentials are forbidden, throttling and server errors are retried, and any
 * other 4xx is the configuration's fault, reported on `field`.
 */
export function httpRefusal(status: number, message: string, field: string): Error {
  if (status === 401 || status === 403) return new ForbiddenError(message);
  if (status === 429 || status >= 500) return new TransientError(message);
  return ValidationError.of(field, "rejected", message);
}

/**
 * A JSON API call: `body` is sent as JSON, and the answer's body is parsed (an empty one is `{}`); a body that
 * is not JSON means a proxy or an outage answered, which is retried.
 */
export async function jsonCall(
  url: string,
  request: { readonly method: string; readonly headers: Record<string, string>; readonly body?: unknown },
  what: string,
  options: HttpCallOptions,
): Promise<{ readonly status: number; readonly body: unknown }> {
  const { method, body } = request;
  const headers =
    body === undefined ? request.headers : { ...request.headers, "content-type": "application/json" };
  const init = { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
  const answer = await httpCall(url, init, what, options);
  return { status: answer.status, body: jsonBody(answer, what) };
}

/** A form POST (`application/x-www-form-urlencoded`, as OAuth2 token endpoints take) with a JSON answer. */
export async function formCall(
  url: string,
  form: Record<string, string>,
  what: string,
  options: HttpCallOptions,
): Promise<{ readonly status: number; readonly body: unknown }> {
  const headers = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  const answer = await httpCall(
    url,
    { method: "POST", headers, body: new URLSearchParams(form).toString() },
    what,
    options,
  );
  return { status: answer.status, body: jsonBody(answer, what) };
}

function jsonBody(answer: HttpAnswer, what: string): unknown {
  if (answer.text === "") return {};
  try {
    return JSON.parse(answer.text);
  } catch (error) {
    throw new TransientError(`${what} answered ${answer.status} without JSON: ${answer.text.slice(0, 200)}`, {
      cause: error,
    });
  }
}

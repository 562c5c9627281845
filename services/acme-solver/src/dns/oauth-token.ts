import { type Clock, ForbiddenError, systemClock } from "@certplane/domain";
import { formCall, type HttpCallOptions, httpRefusal } from "./http-call.ts";

/** Where a provider gets its bearer token, and what to tell the user when the token endpoint refuses. */
export interface OAuthTokenRequest {
  /** The token endpoint (RFC 6749 §3.2). */
  readonly url: string;
  /** The form parameters of the grant; they hold the credential, so they are never put into messages. */
  form(): Record<string, string>;
  /** Who asks, for messages: "Azure AD client-credentials token for client … in tenant …". */
  readonly what: string;
  /** What the user should check when the credentials are refused. */
  readonly hint: string;
  /** The solver field a configuration fault is reported on. */
  readonly field: string;
}

interface TokenAnswer {
  readonly access_token?: string;
  readonly expires_in?: number | string;
  // A proxy or a broken server may answer another shape; only RFC 6749's strings are quoted.
  readonly error?: unknown;
  readonly error_description?: unknown;
}

// RFC 6749 §5.2 errors that mean "these credentials are wrong", whatever status the server picks for them.
const credentialErrors = new Set(["invalid_client", "invalid_grant", "unauthorized_client"]);
// A token is renewed this long before it expires, so that no request carries one that lapses on the way.
const renewEarlyMs = 60_000;

/**
 * A bearer token from an OAuth2 token endpoint, fetched on first use and again shortly before it expires.
 * Azure AD (client credentials) and Google (JWT bearer) answer in the same RFC 6749 §5.1/§5.2 shape.
 */
export class OAuthToken {
  private readonly request: OAuthTokenRequest;
  private readonly options: HttpCallOptions & { readonly clock?: Clock };
  private current: { readonly token: string; readonly renewAt: number } | undefined;

  constructor(request: OAuthTokenRequest, options: HttpCallOptions & { readonly clock?: Clock }) {
    this.request = request;
    this.options = options;
  }

  async get(): Promise<string> {
    const now = (this.options.clock ?? systemClock).now().getTime();
    if (this.current && now < this.current.renewAt) return this.current.token;
    const { url, what, hint, field } = this.request;
    const answer = await formCall(url, this.request.form(), what, this.options);
    const body = answer.body as TokenAnswer;
    if (answer.status === 200 && typeof body.access_token === "string") {
      const expiresInMs = Number(body.expires_in ?? 3600) * 1000;
      this.current = { token: body.access_token, renewAt: now + Math.max(0, expiresInMs - renewEarlyMs) };
      return body.access_token;
    }
    const error = typeof body.error === "string" ? body.error : undefined;
    const description = typeof body.error_description === "string" ? body.error_description : undefined;
    const detail = error ? ` ${error}${description ? `: ${description}` : ""}` : "";
    const message = `${what} was refused (HTTP ${answer.status}${detail}); ${hint}`;
    if (error && credentialErrors.has(error)) throw new ForbiddenError(message);
    throw httpRefusal(answer.status, message, field);
  }
}

import { type Clock, systemClock } from "@certplane/domain";
import type { AcmeProblem, AcmeStatus } from "@certplane/domain/model";
import type { AcmeRequestObserver } from "@certplane/observability";
import { parseCertificateChain } from "@certplane/pki";
import * as acme from "acme-client";
import type {
  AcmeAuthorizationResource,
  AcmeClient,
  AcmeClientOptions,
  AcmeIdentifier,
  AcmeOrderResource,
} from "../acme-client.ts";
import { AcmeRequestError } from "../acme-request-error.ts";
import type { RawResponse, Transport } from "./https-transport.ts";
import { createTransport, observedTransport } from "./https-transport.ts";

// acme-client does the JWS signing, nonces (and its badNonce retry, RFC 8555 §6.5), EAB and key
// authorizations. Its HTTP goes through our transport instead of its shared axios instance, whose
// retry loop sleeps 75 s and then replaces the real error with a TypeError; and its high-level
// calls drop the HTTP status, which we need to tell a 4xx from a 5xx. So we call signedRequest.
interface HttpInternals {
  request: Transport;
  signedRequest(
    url: string,
    payload: unknown,
    options: { kid?: string | null; includeExternalAccountBinding?: boolean },
  ): Promise<RawResponse>;
  getResourceUrl(resource: string): Promise<string>;
  getNonce(): Promise<string>;
}

interface ClientInternals {
  readonly http: HttpInternals;
  readonly api: { accountUrl: string | null };
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * `clock` turns a Retry-After HTTP date into a delay; the service passes its injected clock.
 * `observe` is told of every HTTP request, for cert-manager's ACME client metrics.
 */
export function createAcmeHttpClient(
  options: AcmeClientOptions,
  clock: Clock = systemClock,
  observe?: AcmeRequestObserver,
): AcmeClient {
  return new AcmeHttpClient(options, clock, observe);
}

class AcmeHttpClient implements AcmeClient {
  readonly #client: acme.Client;
  readonly #internals: ClientInternals;
  readonly #clock: Clock;

  constructor(options: AcmeClientOptions, clock: Clock, observe: AcmeRequestObserver | undefined) {
    this.#clock = clock;
    this.#client = new acme.Client({
      directoryUrl: options.directoryUrl,
      accountKey: options.accountKeyPem,
      ...(options.externalAccountBinding ? { externalAccountBinding: options.externalAccountBinding } : {}),
    });
    this.#internals = this.#client as unknown as ClientInternals;
    const transport = createTransport({
      ...(options.caBundlePem ? { caBundlePem: options.caBundlePem } : {}),
      skipTLSVerify: options.skipTLSVerify ?? false,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    this.#internals.http.request = observe === undefined ? transport : observedTransport(transport, observe);
    this.#internals.http.getNonce = () => this.#newNonce();
  }

  async register(input: { readonly email?: string }): Promise<{ readonly uri: string }> {
    const url = await this.#resourceUrl("newAccount");
    const payload = {
      termsOfServiceAgreed: true,
      ...(input.email ? { contact: [`mailto:${input.email}`] } : {}),
    };
    const response = await this.#internals.http.signedRequest(url, payload, {
      kid: null,
      includeExternalAccountBinding: true,
    });
    this.#check(response, [200, 201], "newAccount");
    const uri = response.headers.location;
    if (!uri) throw new AcmeRequestError("newAccount", { detail: "the server returned no account URL" });
    this.#internals.api.accountUrl = uri;
    return { uri };
  }

  async newOrder(input: {
    readonly identifiers: readonly AcmeIdentifier[];
    readonly notAfter?: string;
  }): Promise<AcmeOrderResource> {
    const url = await this.#resourceUrl("newOrder");
    const response = await this.#signed(url, {
      identifiers: input.identifiers,
      ...(input.notAfter ? { notAfter: input.notAfter } : {}),
    });
    this.#check(response, [201], "newOrder");
    const location = response.headers.location;
    if (!location) throw new AcmeRequestError("newOrder", { detail: "the server returned no order URL" });
    return toOrder(location, response.data);
  }

  async getOrder(url: string): Promise<AcmeOrderResource> {
    const response = await this.#signed(url, null);
    this.#check(response, [200], "get order");
    return toOrder(url, response.data);
  }

  async getAuthorization(url: string): Promise<AcmeAuthorizationResource> {
    const response = await this.#signed(url, null);
    this.#check(response, [200], "get authorization");
    const data = response.data as {
      status: AcmeStatus;
      identifier: AcmeIdentifier;
      wildcard?: boolean;
      challenges?: Array<{ url: string; type: string; token: string; status: AcmeStatus; error?: unknown }>;
    };
    return {
      url,
      status: data.status,
      identifier: data.identifier,
      wildcard: data.wildcard === true,
      challenges: (data.challenges ?? []).map((c) => ({
        url: c.url,
        type: c.type,
        token: c.token,
        status: c.status,
        ...(c.error ? { error: toProblem(c.error) } : {}),
      })),
    };
  }

  async keyAuthorization(challenge: { readonly type: string; readonly token: string }): Promise<string> {
    return await this.#client.getChallengeKeyAuthorization(
      challenge as Parameters<acme.Client["getChallengeKeyAuthorization"]>[0],
    );
  }

  async acceptChallenge(url: string): Promise<void> {
    this.#check(await this.#signed(url, {}), [200], "accept challenge");
  }

  async finalize(finalizeUrl: string, csrPem: string): Promise<AcmeOrderResource> {
    const der = Buffer.from(csrPem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
    const response = await this.#signed(finalizeUrl, { csr: der.toString("base64url") });
    this.#check(response, [200], "finalize");
    return toOrder(response.headers.location ?? finalizeUrl, response.data);
  }

  async downloadCertificate(certificateUrl: string, preferredChain?: string): Promise<string> {
    const response = await this.#signed(certificateUrl, null);
    this.#check(response, [200], "download certificate");
    const chain = String(response.data);
    if (!preferredChain) return chain;
    if (rootIssuerName(chain) === preferredChain) return chain;
    for (const link of alternateLinks(response.headers.link)) {
      const alternate = await this.#signed(link, null);
      this.#check(alternate, [200], "download alternate chain");
      if (rootIssuerName(String(alternate.data)) === preferredChain) return String(alternate.data);
    }
    // cert-manager: an unknown preferred chain falls back to the default one.
    return chain;
  }

  #check(response: RawResponse, valid: readonly number[], operation: string): void {
    if (valid.includes(response.status)) return;
    const problem = toProblem(response.data, response.status);
    const retryAfter = parseRetryAfter(response.headers["retry-after"], this.#clock.now());
    throw new AcmeRequestError(
      operation,
      problem,
      retryAfter === undefined ? {} : { retryAfterMs: retryAfter },
    );
  }

  async #resourceUrl(resource: string): Promise<string> {
    try {
      return await this.#internals.http.getResourceUrl(resource);
    } catch (error) {
      if (error instanceof AcmeRequestError) throw error;
      throw new AcmeRequestError("directory", { detail: (error as Error).message }, { cause: error });
    }
  }

  // acme-client's getNonce throws a plain Error without the status, which the flow would take
  // for a terminal failure: a newNonce answered with 503 must stay retryable.
  async #newNonce(): Promise<string> {
    const response = await this.#internals.http.request(await this.#resourceUrl("newNonce"), "head");
    this.#check(response, [200, 204], "newNonce");
    const nonce = response.headers["replay-nonce"];
    if (!nonce) throw new AcmeRequestError("newNonce", { detail: "the server returned no Replay-Nonce" });
    return nonce;
  }

  async #signed(url: string, payload: unknown): Promise<RawResponse> {
    const kid = this.#internals.api.accountUrl;
    if (!kid) throw new AcmeRequestError("request", { detail: "no ACME account registered yet" });
    return await this.#internals.http.signedRequest(url, payload, { kid });
  }
}

function toProblem(data: unknown, status?: number): AcmeProblem {
  const body = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
  const detail =
    typeof body.detail === "string"
      ? body.detail
      : typeof data === "string" && data
        ? data
        : `HTTP ${status}`;
  const responseStatus = status ?? (typeof body.status === "number" ? body.status : undefined);
  return {
    ...(typeof body.type === "string" ? { type: body.type } : {}),
    detail,
    ...(responseStatus === undefined ? {} : { status: responseStatus }),
  };
}

function toOrder(url: string, data: unknown): AcmeOrderResource {
  const body = data as {
    status: AcmeStatus;
    finalize: string;
    authorizations?: string[];
    certificate?: string;
    error?: unknown;
  };
  return {
    url,
    status: body.status,
    finalizeUrl: body.finalize,
    authorizationUrls: body.authorizations ?? [],
    ...(body.certificate ? { certificateUrl: body.certificate } : {}),
    ...(body.error ? { error: toProblem(body.error) } : {}),
  };
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

function alternateLinks(header: string | undefined): string[] {
  if (!header) return [];
  return [...header.matchAll(/<([^>]+)>\s*;\s*rel="?alternate"?/g)].map((m) => m[1] as string);
}

function rootIssuerName(chainPem: string): string | undefined {
  const chain = parseCertificateChain(chainPem);
  return chain.at(-1)?.issuer.fields.commonName;
}

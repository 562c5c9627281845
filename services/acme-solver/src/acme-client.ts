import type { AcmeProblem, AcmeStatus } from "@certplane/domain/model";

// The ACME operations the flow needs (RFC 8555 §7), behind a port so the flow is testable without
// a server. Failures are AcmeRequestError (see acme-request-error.ts); nothing else escapes.

export interface AcmeIdentifier {
  readonly type: "dns" | "ip";
  readonly value: string;
}

export interface AcmeOrderResource {
  readonly url: string;
  readonly status: AcmeStatus;
  readonly finalizeUrl: string;
  readonly authorizationUrls: readonly string[];
  readonly certificateUrl?: string;
  readonly error?: AcmeProblem;
}

export interface AcmeChallengeResource {
  readonly url: string;
  readonly type: string;
  readonly token: string;
  readonly status: AcmeStatus;
  readonly error?: AcmeProblem;
}

export interface AcmeAuthorizationResource {
  readonly url: string;
  readonly status: AcmeStatus;
  readonly identifier: AcmeIdentifier;
  readonly wildcard: boolean;
  readonly challenges: readonly AcmeChallengeResource[];
}

export interface AcmeClient {
  /** newAccount, or the existing account of this key (RFC 8555 §7.3). */
  register(input: { readonly email?: string }): Promise<{ readonly uri: string }>;
  newOrder(input: {
    readonly identifiers: readonly AcmeIdentifier[];
    readonly notAfter?: string;
  }): Promise<AcmeOrderResource>;
  getOrder(url: string): Promise<AcmeOrderResource>;
  getAuthorization(url: string): Promise<AcmeAuthorizationResource>;
  /** HTTP-01: `token.thumbprint`; DNS-01: base64url(SHA-256(that)). Computed locally. */
  keyAuthorization(challenge: { readonly type: string; readonly token: string }): Promise<string>;
  acceptChallenge(url: string): Promise<void>;
  finalize(finalizeUrl: string, csrPem: string): Promise<AcmeOrderResource>;
  /** The PEM chain (leaf first); the alternate whose root-most issuer CN is `preferredChain` if any. */
  downloadCertificate(certificateUrl: string, preferredChain?: string): Promise<string>;
}

export interface AcmeClientOptions {
  readonly directoryUrl: string;
  /** PEM; held in memory only. */
  readonly accountKeyPem: string;
  readonly caBundlePem?: string;
  readonly skipTLSVerify?: boolean;
  readonly externalAccountBinding?: { readonly kid: string; readonly hmacKey: string };
}

export type AcmeClientFactory = (options: AcmeClientOptions) => AcmeClient;

import { createPrivateKey, createSign } from "node:crypto";
import { type Clock, systemClock, ValidationError } from "@certplane/domain";
import type { HttpCallOptions } from "./http-call.ts";
import { OAuthToken } from "./oauth-token.ts";

/** The parts of a Google service account key file (`gcloud iam service-accounts keys create`) used here. */
export interface GoogleServiceAccountKey {
  readonly clientEmail: string;
  readonly privateKeyId: string;
  readonly privateKey: string;
}

export interface GoogleTokenOptions extends HttpCallOptions {
  /** `https://oauth2.googleapis.com/token` unless a test points it at a stand-in. */
  readonly tokenUrl?: string;
  readonly clock?: Clock;
}

const scope = "https://www.googleapis.com/auth/ndev.clouddns.readwrite";
// Google accepts assertions valid for at most an hour.
const assertionLifetimeS = 3600;

/** Reads a key file; the messages name the field and what is missing, never the key. */
export function parseServiceAccountKey(json: string, field: string): GoogleServiceAccountKey {
  let key: Record<string, unknown>;
  try {
    key = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw ValidationError.of(
      field,
      "json",
      "the secret is not JSON; it must hold a service account key file",
    );
  }
  const { type, client_email: clientEmail, private_key_id: privateKeyId, private_key: privateKey } = key;
  if (type !== "service_account" || typeof clientEmail !== "string" || typeof privateKey !== "string") {
    throw ValidationError.of(
      field,
      "serviceAccountKey",
      'the secret must hold a service account key file (type "service_account" with client_email and private_key)',
    );
  }
  try {
    createPrivateKey(privateKey);
  } catch {
    throw ValidationError.of(field, "privateKey", `private_key of ${clientEmail} is not a PEM private key`);
  }
  return { clientEmail, privateKeyId: typeof privateKeyId === "string" ? privateKeyId : "", privateKey };
}

/**
 * A token for Cloud DNS by the JWT-bearer grant (RFC 7523) that Google's auth libraries use for key files: an
 * RS256 assertion signed with the key, sent to the token endpoint. The endpoint is ours, not the key file's
 * `token_uri`, so a Secret cannot send a signed assertion elsewhere.
 */
export function googleServiceAccountToken(
  key: GoogleServiceAccountKey,
  options: GoogleTokenOptions,
): OAuthToken {
  const url = options.tokenUrl ?? "https://oauth2.googleapis.com/token";
  const clock = options.clock ?? systemClock;
  return new OAuthToken(
    {
      url,
      form: () => ({
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion: signedAssertion(key, url, Math.floor(clock.now().getTime() / 1000)),
      }),
      what: `Google OAuth2 token for service account ${key.clientEmail}`,
      hint: "check that the key in serviceAccountSecretRef is current and not deleted or disabled",
      field: "dns01.cloudDNS.serviceAccountSecretRef",
    },
    options,
  );
}

function signedAssertion(key: GoogleServiceAccountKey, audience: string, nowS: number): string {
  const header = { alg: "RS256", typ: "JWT", ...(key.privateKeyId ? { kid: key.privateKeyId } : {}) };
  const claims = { iss: key.clientEmail, scope, aud: audience, iat: nowS, exp: nowS + assertionLifetimeS };
  const unsigned = `${base64url(header)}.${base64url(claims)}`;
  const signature = createSign("RSA-SHA256").update(unsigned).sign(key.privateKey, "base64url");
  return `${unsigned}.${signature}`;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

// Checks AWS Signature Version 4 as AWS documents it ("Create a signed AWS API request"), so a stand-in
// rejects a wrong secret the way AWS does instead of trusting whatever access key id a request names.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export interface SignedRequest {
  readonly method: string;
  /** Path and query exactly as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface SignatureScope {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
}

export type SignatureCheck =
  | { readonly ok: true; readonly scope: SignatureScope }
  | { readonly ok: false; readonly code: SignatureFailure };

export type SignatureFailure =
  | "MissingAuthenticationToken"
  | "InvalidClientTokenId"
  | "SignatureDoesNotMatch";

const authorizationPattern =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();

// RFC 3986 unreserved characters stay; AWS encodes everything else, spaces as %20.
const encode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Parses the Authorization header; `secretOf` gives the secret of an access key id, undefined if unknown. */
export function verifySigV4(
  request: SignedRequest,
  secretOf: (accessKeyId: string) => string | undefined,
): SignatureCheck {
  const match = authorizationPattern.exec(String(request.headers.authorization ?? ""));
  if (!match) return { ok: false, code: "MissingAuthenticationToken" };
  const [, accessKeyId = "", date = "", region = "", service = "", signedHeaders = "", signature = ""] =
    match;
  const secret = secretOf(accessKeyId);
  if (secret === undefined) return { ok: false, code: "InvalidClientTokenId" };
  const url = new URL(request.url, "http://stand-in");
  // Services other than S3 sign the already-encoded path encoded once more.
  const path = url.pathname
    .split("/")
    .map((segment) => encode(segment))
    .join("/");
  const query = [...url.searchParams.entries()]
    .map(([key, value]) => `${encode(key)}=${encode(value)}`)
    .sort()
    .join("&");
  const headers = signedHeaders
    .split(";")
    .map(
      (name) =>
        `${name}:${String(request.headers[name] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const payloadHash = String(request.headers["x-amz-content-sha256"] ?? sha256(request.body));
  const canonical = [request.method, path, query, headers, signedHeaders, payloadHash].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const amzDate = String(request.headers["x-amz-date"] ?? "");
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
  const expected = createHmac("sha256", key).update(toSign).digest();
  const given = Buffer.from(signature, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, code: "SignatureDoesNotMatch" };
  }
  return { ok: true, scope: { accessKeyId, region, service } };
}

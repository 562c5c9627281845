// Bearer tokens for API clients that have no client certificate (a CI job, a script): each token
// has a name, which becomes the caller's identity `token:<name>` an access policy can bind. The
// server keeps only SHA-256 digests of the tokens, so its token file reveals none of them.
import { createHash, timingSafeEqual } from "node:crypto";
import { ValidationError } from "@certplane/domain";

/** gRPC metadata key carrying `Bearer <token>`, as HTTP's Authorization header. */
export const AUTHORIZATION_KEY = "authorization";

export interface ApiTokens {
  /** The name of the token, or undefined when it is not one of them. */
  nameOf(token: string): string | undefined;
}

export function apiTokenDigest(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * One token per line: `NAME sha256:HEX` (the digest of the token, `certctl`-free:
 * `printf %s "$TOKEN" | sha256sum`); `#` starts a comment. `source` names the file in errors.
 */
export function parseApiTokens(text: string, source: string): ApiTokens {
  const digests = new Map<string, Buffer>();
  text.split("\n").forEach((raw, index) => {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "") return;
    const match = /^([A-Za-z0-9._@-]{1,64})\s+sha256:([0-9a-f]{64})$/.exec(line);
    const where = `${source} line ${index + 1}`;
    if (match === null) {
      throw ValidationError.of(
        where,
        "apiToken",
        'must be "NAME sha256:<64 hex digits>" (the SHA-256 of the token)',
      );
    }
    const [, name, hex] = match as unknown as [string, string, string];
    if ([...digests.values()].some((digest) => digest.equals(Buffer.from(hex, "hex")))) {
      throw ValidationError.of(where, "unique", "this token digest is listed twice");
    }
    if (digests.has(name)) throw ValidationError.of(where, "unique", `token name "${name}" is listed twice`);
    digests.set(name, Buffer.from(hex, "hex"));
  });
  return {
    nameOf(token) {
      const digest = Buffer.from(apiTokenDigest(token), "hex");
      // Every entry is compared, in constant time each, so the answer's timing says nothing.
      let found: string | undefined;
      for (const [name, known] of digests) if (timingSafeEqual(known, digest)) found = name;
      return found;
    },
  };
}

/** The token of an `Authorization: Bearer <token>` value; undefined for any other scheme. */
export function bearerToken(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^Bearer\s+(\S+)$/i.exec(value.trim());
  return match?.[1];
}

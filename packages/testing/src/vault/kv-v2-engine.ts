// The KV v2 secrets engine as the documented API describes it: every write makes a new version,
// `options.cas` makes the write conditional on the current one, and a metadata delete forgets the
// path with all its versions, so the next write starts again at version 1.

import { VaultHttpError } from "./vault-http-error.ts";

/** The current version of one secret. */
export interface KvV2Secret {
  readonly data: Readonly<Record<string, string>>;
  readonly version: number;
  readonly createdTime: string;
}

interface KvV2Answer {
  readonly data?: Record<string, unknown>;
  readonly noContent?: true;
}

export class KvV2Engine {
  readonly #secrets = new Map<string, KvV2Secret>();
  readonly #now: () => Date;

  constructor(now: () => Date) {
    this.#now = now;
  }

  read(path: string): KvV2Secret | undefined {
    return this.#secrets.get(path);
  }

  /** Answers one call below the mount, or undefined when no route matches. */
  route(
    method: string,
    kind: "data" | "metadata",
    path: string,
    body: Record<string, unknown>,
  ): KvV2Answer | undefined {
    if (kind === "data" && method === "POST") return { data: metadataOf(this.#write(path, body)) };
    if (kind === "data" && method === "GET") {
      const secret = this.#secrets.get(path);
      // Real Vault answers an absent secret with a 404 and an empty errors array.
      if (!secret) throw new VaultHttpError(404, []);
      return { data: { data: { ...secret.data }, metadata: metadataOf(secret) } };
    }
    if (kind === "metadata" && method === "DELETE") {
      this.#secrets.delete(path);
      return { noContent: true };
    }
    return undefined;
  }

  #write(path: string, body: Record<string, unknown>): KvV2Secret {
    const data = body.data;
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      throw new VaultHttpError(400, ["no data provided"]);
    }
    const current = this.#secrets.get(path)?.version ?? 0;
    const cas = (body.options as { cas?: unknown } | undefined)?.cas;
    if (cas !== undefined && Number(cas) !== current) {
      throw new VaultHttpError(400, ["check-and-set parameter did not match the current version"]);
    }
    const secret: KvV2Secret = {
      data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, String(value)])),
      version: current + 1,
      createdTime: this.#now().toISOString(),
    };
    this.#secrets.set(path, secret);
    return secret;
  }
}

function metadataOf(secret: KvV2Secret): Record<string, unknown> {
  return {
    created_time: secret.createdTime,
    custom_metadata: null,
    deletion_time: "",
    destroyed: false,
    version: secret.version,
  };
}

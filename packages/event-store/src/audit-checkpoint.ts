import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { ValidationError } from "@certplane/domain";
import { canonicalJson, sha256Hex } from "./chain-hash.ts";

// A checkpoint is a signed statement by the auditor: "at this time the store held these streams,
// each up to this revision with this hash". It lives outside the store, in a file the auditor
// keeps, and is signed with a key the store never holds: whoever can rewrite the store can then
// neither hide a checkpoint (it is not in the store) nor forge one (no key). That is also why it is
// not an event: a checkpoint category would need an owner service, and a checkpoint inside the
// store could be deleted together with the events it vouches for.

export const CHECKPOINT_FORMAT = "certplane-audit-checkpoint/1";

export interface CheckpointHead {
  readonly stream: string;
  /** The stream's last revision when the checkpoint was taken (0-based). */
  readonly revision: number;
  readonly hash: string;
}

export interface AuditCheckpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly createdAt: string;
  /** The store's newest global position the checkpoint covers (null for an empty store). */
  readonly position: string | null;
  readonly streams: number;
  readonly events: number;
  /** sha256 over the canonical JSON of `heads`: one value to quote for the whole store. */
  readonly digest: string;
  /** Which key signed it: sha256 of the public key's SPKI DER, hex. */
  readonly keyId: string;
  readonly heads: readonly CheckpointHead[];
  /** Ed25519 over the canonical JSON of every other field, base64. */
  readonly signature: string;
}

/** Parses an Ed25519 private key PEM; errors name `source` (a file), never the contents. */
export function parseSigningKey(pem: string | Buffer, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    // The parser's message is dropped on purpose: it could quote part of the key file.
    throw ValidationError.of("--key", "privateKey", `${source} is not a PEM private key`);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw ValidationError.of("--key", "ed25519", `${source} is not an Ed25519 private key`);
  }
  return key;
}

/** Parses an Ed25519 public key PEM (or the public half of a private key PEM). */
export function parseVerifyingKey(pem: string | Buffer, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw ValidationError.of("--public-key", "publicKey", `${source} is not a PEM public key`);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw ValidationError.of("--public-key", "ed25519", `${source} is not an Ed25519 public key`);
  }
  return key;
}

export function keyIdOf(publicKey: KeyObject): string {
  return sha256Hex(publicKey.export({ type: "spki", format: "der" }).toString("base64"));
}

function headsDigest(heads: readonly CheckpointHead[]): string {
  return sha256Hex(canonicalJson(heads));
}

function signedBytes(checkpoint: Omit<AuditCheckpoint, "signature">): Buffer {
  return Buffer.from(canonicalJson(checkpoint), "utf8");
}

export function signCheckpoint(
  input: {
    readonly createdAt: string;
    readonly position: string | null;
    readonly events: number;
    readonly heads: readonly CheckpointHead[];
  },
  privateKey: KeyObject,
): AuditCheckpoint {
  const heads = [...input.heads].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
  const body: Omit<AuditCheckpoint, "signature"> = {
    format: CHECKPOINT_FORMAT,
    createdAt: input.createdAt,
    position: input.position,
    streams: heads.length,
    events: input.events,
    digest: headsDigest(heads),
    keyId: keyIdOf(createPublicKey(privateKey)),
    heads,
  };
  return { ...body, signature: sign(null, signedBytes(body), privateKey).toString("base64") };
}

export type CheckpointCheck =
  | { readonly ok: true; readonly checkpoint: AuditCheckpoint }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks a parsed checkpoint file: its shape, its signature under `publicKey`, and its digest.
 * The signature covers every field, so any edit (a head dropped, a hash changed) fails it.
 */
export function checkCheckpoint(value: unknown, publicKey: KeyObject): CheckpointCheck {
  if (value === null || typeof value !== "object") return { ok: false, reason: "not a JSON object" };
  const candidate = value as Partial<AuditCheckpoint>;
  if (candidate.format !== CHECKPOINT_FORMAT) {
    return { ok: false, reason: `format is not ${CHECKPOINT_FORMAT}` };
  }
  if (
    typeof candidate.signature !== "string" ||
    typeof candidate.createdAt !== "string" ||
    !Array.isArray(candidate.heads) ||
    !candidate.heads.every(
      (head) =>
        head !== null &&
        typeof head === "object" &&
        typeof head.stream === "string" &&
        Number.isInteger(head.revision) &&
        typeof head.hash === "string",
    )
  ) {
    return { ok: false, reason: "fields are missing or of the wrong type" };
  }
  const { signature, ...body } = candidate as AuditCheckpoint;
  if (!verify(null, signedBytes(body), publicKey, Buffer.from(signature, "base64"))) {
    return {
      ok: false,
      reason:
        body.keyId === keyIdOf(publicKey)
          ? "signature does not verify: the file was edited after it was signed"
          : "signature does not verify: signed by another key, or the file was edited",
    };
  }
  if (headsDigest(body.heads) !== body.digest)
    return { ok: false, reason: "digest does not match its heads" };
  return { ok: true, checkpoint: candidate as AuditCheckpoint };
}

/** A file name that sorts by time and never collides with an earlier checkpoint's. */
export function checkpointFileName(createdAt: string): string {
  return `checkpoint-${createdAt.replaceAll(":", "").replaceAll(".", "")}.json`;
}

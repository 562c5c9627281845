import type { SecretOwner } from "@certplane/domain/model";
import type { SecretValue } from "./secret-values.ts";

export interface SecretRef {
  readonly namespace: string;
  readonly name: string;
}

/** A secret as a target receives it: sealed values already opened, held only in memory. */
export interface PublishedSecret extends SecretRef {
  readonly type: string;
  /** Public values (certificates). */
  readonly data: Readonly<Record<string, string>>;
  /**
   * Opened private values (keys, keystores); targets must store them readable by the owner only.
   * The binary ones (`binarySecretKeys`) are bytes and must be written as such.
   */
  readonly secretData: Readonly<Record<string, SecretValue>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly owner: SecretOwner;
}

export interface WriteReceipt {
  readonly resourceVersion?: string;
}

/**
 * Where published secrets are mirrored (files now; Kubernetes, Vault, NATS KV later). Both calls
 * are idempotent: the reactor delivers at least once and always mirrors the current state.
 */
export interface SecretTarget {
  readonly kind: string;
  /** Returns the destination's version of what it now holds, when it has one (Kubernetes' resourceVersion). */
  write(secret: PublishedSecret): Promise<void | WriteReceipt>;
  /** Removes the secret; a secret the target does not hold is not an error. */
  delete(ref: SecretRef): Promise<void>;
  /**
   * Checks that the destination is reachable with the target's credentials and may be written;
   * throws a typed error saying what is wrong and what to do. Targets without a remote end omit it.
   */
  probe?(): Promise<void>;
}

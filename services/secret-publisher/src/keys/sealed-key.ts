import type { KeyObject } from "node:crypto";
import type { SecretContent } from "@certplane/domain/model";
import type { KeyEncryptionKey, RandomSource } from "@certplane/pki";
import { open, parsePrivateKeyPem, seal, secretValueAad } from "@certplane/pki";
import type { SecretRef } from "../secrets/secret-target.ts";
import type { SecretValue } from "../secrets/secret-values.ts";
import { binarySecretKeys } from "../secrets/secret-values.ts";

export const TLS_KEY = "tls.key";

export interface Sealer {
  readonly kek: KeyEncryptionKey;
  readonly random: RandomSource;
}

export function sealValue(sealer: Sealer, ref: SecretRef, key: string, plaintext: SecretValue): string {
  return seal(sealer.kek, plaintext, secretValueAad(ref, key), sealer.random);
}

/** Every value sealed, each bound to its secret and key. */
export function sealValues(
  sealer: Sealer,
  ref: SecretRef,
  values: Readonly<Record<string, SecretValue>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, sealValue(sealer, ref, key, value)]),
  );
}

function openEach<T>(
  kek: KeyEncryptionKey,
  ref: SecretRef,
  content: SecretContent,
  as: (key: string, plaintext: Buffer) => T,
): Record<string, T> {
  return Object.fromEntries(
    Object.entries(content.sealedData).map(([key, sealed]) => [
      key,
      as(key, open(kek, sealed, secretValueAad(ref, key))),
    ]),
  );
}

/** Every sealed value of a secret as text (credentials, keys); held in memory only. */
export function openSealedData(
  kek: KeyEncryptionKey,
  ref: SecretRef,
  content: SecretContent,
): Record<string, string> {
  return openEach(kek, ref, content, (_key, plaintext) => plaintext.toString("utf8"));
}

/** Every sealed value of a secret as targets write it: the binary keys as bytes; in memory only. */
export function openSecretValues(
  kek: KeyEncryptionKey,
  ref: SecretRef,
  content: SecretContent,
): Record<string, SecretValue> {
  return openEach(kek, ref, content, (key, plaintext) =>
    binarySecretKeys.has(key) ? plaintext : plaintext.toString("utf8"),
  );
}

/** The private key in a secret's `tls.key`, or undefined when it has none. */
export function openPrivateKey(
  kek: KeyEncryptionKey,
  ref: SecretRef,
  content: SecretContent,
): KeyObject | undefined {
  const sealed = content.sealedData[TLS_KEY];
  if (sealed === undefined) return undefined;
  return parsePrivateKeyPem(open(kek, sealed, secretValueAad(ref, TLS_KEY)).toString("utf8"));
}

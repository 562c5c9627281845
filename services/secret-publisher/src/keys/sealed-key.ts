import type { KeyObject } from "node:crypto";
import type { SecretContent } from "@certplane/domain/model";
import type { KeyEncryptionKey, RandomSource } from "@certplane/pki";
import { open, parsePrivateKeyPem, seal, secretValueAad } from "@certplane/pki";
import type { SecretRef } from "../secrets/secret-target.ts";

export const TLS_KEY = "tls.key";

export interface Sealer {
  readonly kek: KeyEncryptionKey;
  readonly random: RandomSource;
}

export function sealValue(sealer: Sealer, ref: SecretRef, key: string, plaintext: string): string {
  return seal(sealer.kek, plaintext, secretValueAad(ref, key), sealer.random);
}

/** Every sealed value of a secret, opened; held in memory only. */
export function openSealedData(
  kek: KeyEncryptionKey,
  ref: SecretRef,
  content: SecretContent,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(content.sealedData).map(([key, sealed]) => [
      key,
      open(kek, sealed, secretValueAad(ref, key)).toString("utf8"),
    ]),
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

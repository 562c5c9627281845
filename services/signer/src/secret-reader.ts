import type { KeyObject } from "node:crypto";
import { ValidationError } from "@certplane/domain";
import { type SecretContent, secretDecider, streams } from "@certplane/domain/model";
import { type KeyEncryptionKey, open, parsePrivateKeyPem, secretValueAad } from "@certplane/pki";
import type { AggregateRunner } from "@certplane/runtime";
import type { SecretRef } from "./signer.ts";

/** Reads secrets from their streams and opens sealed private keys, in memory only. */
export class SecretReader {
  readonly #runner: AggregateRunner;
  readonly #kek: KeyEncryptionKey;

  constructor(runner: AggregateRunner, kek: KeyEncryptionKey) {
    this.#runner = runner;
    this.#kek = kek;
  }

  async read(ref: SecretRef): Promise<SecretContent | undefined> {
    const { state } = await this.#runner.load(streams.secret(ref.namespace, ref.name), secretDecider);
    return state.status === "present" ? state.content : undefined;
  }

  /**
   * One value as a string: sealed values (every value of a user's Opaque secret, see intake's
   * import) are opened, public ones returned as stored; undefined when the key is absent.
   */
  value(ref: SecretRef, content: SecretContent, key: string): string | undefined {
    const sealed = content.sealedData[key];
    if (sealed === undefined) return content.data[key];
    const plaintext = open(this.#kek, sealed, secretValueAad(ref, key));
    try {
      return plaintext.toString("utf8");
    } finally {
      plaintext.fill(0);
    }
  }

  /** Opens `tls.key`; throws ValidationError when it is absent, does not open or does not parse. */
  privateKey(ref: SecretRef, content: SecretContent): KeyObject {
    const sealed = content.sealedData["tls.key"];
    if (sealed === undefined) {
      throw ValidationError.of(
        "tls.key",
        "required",
        `no data for "tls.key" in secret '${ref.namespace}/${ref.name}'`,
      );
    }
    const plaintext = open(this.#kek, sealed, secretValueAad(ref, "tls.key"));
    try {
      return parsePrivateKeyPem(plaintext.toString("utf8"));
    } finally {
      plaintext.fill(0);
    }
  }
}

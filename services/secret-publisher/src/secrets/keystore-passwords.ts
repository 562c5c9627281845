// The passwords of a Certificate's keystores: the literal `password` (sealed by intake at apply;
// events recorded before that hold it as written), or one key of a Secret in the Certificate's
// namespace, read from certplane's own store (sealed or public). Messages name the Secret and key,
// never the password.
import type { CertificateSpec } from "@certplane/domain";
import { ValidationError } from "@certplane/domain";
import { secretDecider, streams } from "@certplane/domain/model";
import type { AggregateRunner } from "@certplane/runtime";
import { isSealed, type KeyEncryptionKey, keystorePasswordAad, open } from "@certplane/pki";
import { openSealedData } from "../keys/sealed-key.ts";

export type KeystoreType = "jks" | "pkcs12";

export type KeystorePasswords = Readonly<Partial<Record<KeystoreType, string>>>;

type KeystoreSpec = NonNullable<NonNullable<CertificateSpec["keystores"]>[KeystoreType]>;

export interface PasswordReader {
  readonly runner: AggregateRunner;
  readonly kek: KeyEncryptionKey;
}

/** The Secret streams a Certificate's keystores read their passwords from, so a change to one rewrites them. */
export function keystorePasswordStreams(namespace: string, spec: CertificateSpec): string[] {
  return (["jks", "pkcs12"] as const).flatMap((type) => {
    const ref = spec.keystores?.[type]?.passwordSecretRef;
    return spec.keystores?.[type]?.create && ref ? [streams.secret(namespace, ref.name)] : [];
  });
}

/** The password of every keystore the spec creates; throws a ValidationError naming what is missing. */
export async function keystorePasswords(
  reader: PasswordReader,
  certificate: { readonly namespace: string; readonly name: string },
  spec: CertificateSpec,
): Promise<KeystorePasswords> {
  const passwords: Partial<Record<KeystoreType, string>> = {};
  for (const type of ["jks", "pkcs12"] as const) {
    const keystore = spec.keystores?.[type];
    if (keystore?.create) passwords[type] = await passwordOf(reader, certificate, type, keystore);
  }
  return passwords;
}

async function passwordOf(
  reader: PasswordReader,
  certificate: { readonly namespace: string; readonly name: string },
  type: KeystoreType,
  keystore: KeystoreSpec,
): Promise<string> {
  const { namespace } = certificate;
  if (keystore.password !== undefined) {
    return isSealed(keystore.password)
      ? open(reader.kek, keystore.password, keystorePasswordAad(certificate, type)).toString("utf8")
      : keystore.password;
  }
  const field = `spec.keystores.${type}.passwordSecretRef`;
  const ref = keystore.passwordSecretRef;
  if (ref?.key === undefined) {
    throw ValidationError.of(`${field}.key`, "required", `${type} keystore: passwordSecretRef.key must name the Secret's key`);
  }
  const secretRef = { namespace, name: ref.name };
  const { state } = await reader.runner.load(streams.secret(namespace, ref.name), secretDecider);
  if (state.status !== "present") {
    throw ValidationError.of(
      field,
      "secretNotFound",
      `${type} keystore password Secret ${namespace}/${ref.name} does not exist`,
    );
  }
  const value = state.content.sealedData[ref.key] === undefined
    ? state.content.data[ref.key]
    : openSealedData(reader.kek, secretRef, state.content)[ref.key];
  if (!value) {
    throw ValidationError.of(
      `${field}.key`,
      "keyNotFound",
      `${type} keystore password Secret ${namespace}/${ref.name} contains no data for key "${ref.key}"`,
    );
  }
  return value;
}

import { createHash, createPublicKey, type KeyObject, randomBytes } from "node:crypto";
import { NotFoundError } from "@certplane/domain";
import type { SecretCommand } from "@certplane/domain/model";
import { secretDecider, streams } from "@certplane/domain/model";
import type { KeyEncryptionKey } from "@certplane/pki";
import {
  encodePrivateKeyPem,
  generatePrivateKey,
  open,
  parsePrivateKeyPem,
  seal,
  secretValueAad,
} from "@certplane/pki";
import type { AggregateRunner, CommandContext, OwnerCommandSender } from "@certplane/runtime";
import type { AcmeIssuerView } from "../acme-issuer.ts";

/** SHA-256 of the public key (SPKI DER), base64url: cert-manager's status.acme.lastPrivateKeyHash. */
export function publicKeyHash(key: KeyObject): string {
  return createHash("sha256")
    .update(createPublicKey(key).export({ type: "spki", format: "der" }))
    .digest("base64url");
}

/**
 * The account key from `privateKeySecretRef`, created (RSA-2048, like cert-manager) and stored
 * sealed when it does not exist, unless `disableAccountKeyGeneration` says it must be supplied.
 */
export async function accountKey(
  runner: AggregateRunner,
  commands: OwnerCommandSender,
  kek: KeyEncryptionKey,
  issuer: AcmeIssuerView,
  context: CommandContext,
): Promise<KeyObject> {
  const name = issuer.acme.privateKeySecretRef.name;
  const field = issuer.acme.privateKeySecretRef.key ?? "tls.key";
  const namespace = issuer.secretNamespace;
  const stream = streams.secret(namespace, name);
  const stored = async (): Promise<KeyObject | undefined> => {
    const { state } = await runner.load(stream, secretDecider);
    if (state.status !== "present") return undefined;
    const sealed = state.content.sealedData[field];
    if (sealed === undefined) {
      throw new NotFoundError(`ACME account key secret ${namespace}/${name} has no key "${field}"`);
    }
    return parsePrivateKeyPem(open(kek, sealed, secretValueAad({ namespace, name }, field)).toString("utf8"));
  };
  const existing = await stored();
  if (existing) return existing;
  if (issuer.acme.disableAccountKeyGeneration) {
    throw new NotFoundError(
      `ACME account key secret ${namespace}/${name} not found and disableAccountKeyGeneration is set`,
    );
  }
  const key = await generatePrivateKey({ algorithm: "RSA", size: 2048 });
  const pem = encodePrivateKeyPem(key, "PKCS8");
  const random = (size: number) => new Uint8Array(randomBytes(size));
  // Secrets belong to the secret-publisher; the key travels to it sealed, never in plaintext.
  const write: SecretCommand = {
    type: "WriteSecret",
    name,
    namespace,
    owner: { kind: "AcmeAccount", issuer: issuer.stream },
    content: {
      type: "Opaque",
      data: {},
      sealedData: { [field]: seal(kek, pem, secretValueAad({ namespace, name }, field), random) },
    },
    ifAbsent: true,
    now: runner.clock.now().toISOString(),
  };
  await commands.send(stream, write, context);
  // Another instance may have written first: the stored key is the one to use.
  const written = await stored();
  if (!written) throw new NotFoundError(`ACME account key secret ${namespace}/${name} disappeared`);
  return written;
}

/** The EAB MAC key from `keySecretRef` (sealed or plain data), as the base64url text cert-manager expects. */
export async function eabHmacKey(
  runner: AggregateRunner,
  kek: KeyEncryptionKey,
  issuer: AcmeIssuerView,
): Promise<{ kid: string; hmacKey: string } | undefined> {
  const binding = issuer.acme.externalAccountBinding;
  if (!binding) return undefined;
  const { name, key } = binding.keySecretRef;
  const namespace = issuer.secretNamespace;
  const { state } = await runner.load(streams.secret(namespace, name), secretDecider);
  if (state.status !== "present") {
    throw new NotFoundError(`external account binding secret ${namespace}/${name} not found`);
  }
  const sealed = state.content.sealedData[key];
  const value =
    sealed !== undefined
      ? open(kek, sealed, secretValueAad({ namespace, name }, key)).toString("utf8")
      : state.content.data[key];
  if (value === undefined) {
    throw new NotFoundError(`external account binding secret ${namespace}/${name} has no key "${key}"`);
  }
  return { kid: binding.keyID, hmacKey: value.trim() };
}

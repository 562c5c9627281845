// A user's certificate/key pair becomes a Secret owned by the user; the key is sealed on arrival.
import type { SecretCommand, SecretContent, SecretState } from "@certplane/domain/model";
import { jsonEqual, secretDecider, streams } from "@certplane/domain/model";
import { type KeyEncryptionKey, open, type RandomSource, seal, secretValueAad } from "@certplane/pki";
import { type ApplyStep, streamApplyStep } from "../manifests/apply-step.ts";
import type { TlsPair } from "./tls-pair.ts";

export interface TlsSecretImport extends TlsPair {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface Sealer {
  readonly kek: KeyEncryptionKey;
  readonly random: RandomSource;
}

function publicContent(input: TlsSecretImport): Omit<SecretContent, "sealedData"> {
  return {
    type: "kubernetes.io/tls",
    data: { "tls.crt": input.certificatePem, ...(input.caPem === undefined ? {} : { "ca.crt": input.caPem }) },
    ...(input.labels && Object.keys(input.labels).length > 0 ? { labels: input.labels } : {}),
    ...(input.annotations && Object.keys(input.annotations).length > 0 ? { annotations: input.annotations } : {}),
  };
}

/** Sealing is randomised, so "the same key" is decided by opening the stored one. */
function holdsSameKey(sealer: Sealer, sealed: string | undefined, aad: string, privateKeyPem: string): boolean {
  if (sealed === undefined) return false;
  try {
    return open(sealer.kek, sealed, aad).toString("utf8") === privateKeyPem;
  } catch {
    return false;
  }
}

function isUnchanged(state: SecretState, input: TlsSecretImport, sealer: Sealer, aad: string): boolean {
  if (state.status !== "present" || state.owner.kind !== "User") return false;
  const { sealedData, ...stored } = state.content;
  return (
    jsonEqual(stored, publicContent(input)) &&
    Object.keys(sealedData).length === 1 &&
    holdsSameKey(sealer, sealedData["tls.key"], aad, input.privateKeyPem)
  );
}

export function importTlsSecretStep(sealer: Sealer, actor: string, input: TlsSecretImport): ApplyStep {
  const aad = secretValueAad(input, "tls.key");
  return streamApplyStep({
    stream: streams.secret(input.namespace, input.name),
    decider: secretDecider,
    exists: (state) => state.status === "present",
    command: (state, now): SecretCommand | undefined =>
      isUnchanged(state, input, sealer, aad)
        ? undefined
        : {
            type: "WriteSecret",
            name: input.name,
            namespace: input.namespace,
            content: {
              ...publicContent(input),
              sealedData: { "tls.key": seal(sealer.kek, input.privateKeyPem, aad, sealer.random) },
            },
            owner: { kind: "User", actor },
            now: now.toISOString(),
          },
  });
}

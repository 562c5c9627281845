// A natsKV SecretTarget's writer: its spec, the recipient key private values are sealed to, and the
// NATS credentials held in a sealed Secret of certplane's own store (read as kubeconfigs are).
import type { NatsKVTargetSpec } from "@certplane/domain";
import { defaultNatsKVPrivateKeys, ValidationError } from "@certplane/domain";
import { secretDecider, streams } from "@certplane/domain/model";
import { JweRecipient } from "../adapters/jwe-recipient.ts";
import type { NatsCredentials } from "../adapters/nats-kv-secret-target.ts";
import { NatsKvSecretTarget } from "../adapters/nats-kv-secret-target.ts";
import { openSealedData } from "../keys/sealed-key.ts";
import type { BuiltTarget, DestinationContext } from "./target-destinations.ts";

const credentialsField = "spec.natsKV.credentialsSecretRef";

/** The stream of the Secret holding the target's NATS credentials, when it names one. */
export function natsKvCredentialStreamOf(
  spec: NatsKVTargetSpec,
  clusterResourceNamespace: string,
): string | undefined {
  const ref = spec.credentialsSecretRef;
  return ref === undefined ? undefined : streams.secret(clusterResourceNamespace, ref.name);
}

/**
 * The credentials in a Secret's (opened) values. Exactly one of: `creds` (a NATS .creds file, for
 * operator/JWT mode), `token`, or `user` with `password`. Messages name keys, never values.
 */
export function natsCredentialsOf(
  values: Readonly<Record<string, string>>,
  secretName: string,
): NatsCredentials {
  const has = (key: string) => values[key] !== undefined && values[key] !== "";
  const forms = [
    has("creds") && "creds",
    has("token") && "token",
    (has("user") || has("password")) && "user",
  ];
  const given = forms.filter((form) => form !== false);
  const keys = Object.keys(values).join(", ") || "none";
  if (given.length !== 1) {
    throw ValidationError.of(
      credentialsField,
      "natsCredentials",
      `the Secret ${secretName} must hold exactly one of: creds (a NATS .creds file), token, or user and password (it has ${keys})`,
    );
  }
  if (has("creds")) {
    if (!values.creds!.includes("-----BEGIN NATS USER JWT-----")) {
      throw ValidationError.of(
        credentialsField,
        "natsCredentials",
        `the creds key of the Secret ${secretName} is not a NATS .creds file (no "BEGIN NATS USER JWT" block)`,
      );
    }
    return { kind: "creds", creds: values.creds! };
  }
  if (has("token")) return { kind: "token", token: values.token! };
  if (!has("user") || !has("password")) {
    throw ValidationError.of(
      credentialsField,
      "natsCredentials",
      `the Secret ${secretName} must hold both user and password (it has ${keys})`,
    );
  }
  return { kind: "userPassword", user: values.user!, password: values.password! };
}

async function credentialsFor(
  ctx: DestinationContext,
  name: string,
  spec: NatsKVTargetSpec,
): Promise<{ credentials: NatsCredentials | undefined; source: string }> {
  const ref = spec.credentialsSecretRef;
  if (ref === undefined)
    return { credentials: undefined, source: `${credentialsField} (not set: no credentials)` };
  const secretRef = { namespace: ctx.clusterResourceNamespace, name: ref.name };
  const secretName = `${secretRef.namespace}/${secretRef.name}`;
  const { state } = await ctx.runner.load(streams.secret(secretRef.namespace, secretRef.name), secretDecider);
  if (state.status !== "present") {
    throw ValidationError.of(
      credentialsField,
      "secretNotFound",
      `SecretTarget ${name}: the NATS credentials Secret ${secretName} does not exist; apply it to certplane`,
    );
  }
  const values = { ...state.content.data, ...openSealedData(ctx.kek, secretRef, state.content) };
  return { credentials: natsCredentialsOf(values, secretName), source: `Secret ${secretName}` };
}

export async function natsKvDestination(
  ctx: DestinationContext,
  name: string,
  spec: NatsKVTargetSpec,
): Promise<BuiltTarget> {
  const sealed = (spec.privateKeys ?? defaultNatsKVPrivateKeys) === "Sealed";
  const publicKey = spec.recipient?.publicKey;
  if (sealed && publicKey === undefined) {
    throw ValidationError.of(
      "spec.natsKV.recipient",
      "required",
      `SecretTarget ${name} seals private keys but names no recipient`,
    );
  }
  const recipient = sealed
    ? await JweRecipient.fromPublicKeyPem(publicKey!, "spec.natsKV.recipient.publicKey")
    : undefined;
  const { credentials, source } = await credentialsFor(ctx, name, spec);
  const writer = new NatsKvSecretTarget({
    name,
    servers: spec.servers,
    bucket: spec.bucket,
    credentials,
    credentialsSource: source,
    recipient,
  });
  return {
    destinations: [
      {
        location: `${spec.servers.join(",")} bucket ${spec.bucket}`,
        namespaceFor: (namespace) => namespace,
        writer,
      },
    ],
    close: () => writer.close(),
  };
}

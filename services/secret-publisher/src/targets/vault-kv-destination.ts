// A vaultKV SecretTarget's writer: the KV v2 adapter, with the Vault token read from a sealed Secret
// of certplane's own store before every call, so a rotated token is picked up without a restart.
import type { VaultKVTargetSpec } from "@certplane/domain";
import { ValidationError } from "@certplane/domain";
import { secretDecider, streams } from "@certplane/domain/model";
import { VaultKvSecretTarget } from "../adapters/vault-kv-secret-target.ts";
import { openSealedData } from "../keys/sealed-key.ts";
import type { BuiltTarget, DestinationContext } from "./target-destinations.ts";

const tokenField = "spec.vaultKV.tokenSecretRef";

export function vaultKvCredentialStreamOf(spec: VaultKVTargetSpec, clusterResourceNamespace: string): string {
  return streams.secret(clusterResourceNamespace, spec.tokenSecretRef.name);
}

export async function vaultKvDestination(
  ctx: DestinationContext,
  name: string,
  spec: VaultKVTargetSpec,
): Promise<BuiltTarget> {
  const secretRef = { namespace: ctx.clusterResourceNamespace, name: spec.tokenSecretRef.name };
  const key = spec.tokenSecretRef.key ?? "token";
  const secretName = `${secretRef.namespace}/${secretRef.name}`;
  // Messages name the Secret and key, never the token.
  const token = async () => {
    const { state } = await ctx.runner.load(
      streams.secret(secretRef.namespace, secretRef.name),
      secretDecider,
    );
    if (state.status !== "present") {
      throw ValidationError.of(
        tokenField,
        "secretNotFound",
        `SecretTarget ${name}: the Vault token Secret ${secretName} does not exist; apply it (key ${key}) to certplane`,
      );
    }
    const values = { ...state.content.data, ...openSealedData(ctx.kek, secretRef, state.content) };
    const value = values[key]?.trim();
    if (!value) {
      throw ValidationError.of(
        `${tokenField}.key`,
        "keyNotFound",
        `SecretTarget ${name}: the Secret ${secretName} has no non-empty key ${JSON.stringify(key)}`,
      );
    }
    return value;
  };
  await token();
  const mount = spec.mount ?? "secret";
  const prefix = spec.prefix ?? "certplane";
  const writer = new VaultKvSecretTarget({
    server: spec.server,
    mount,
    prefix,
    namespace: spec.namespace,
    token,
  });
  return {
    destinations: [
      {
        location: `${spec.server}/v1/${mount}/data/${prefix}`,
        namespaceFor: (namespace) => namespace,
        writer,
      },
    ],
  };
}

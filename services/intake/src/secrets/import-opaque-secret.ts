// A user's generic Secret (a TSIG key, a DNS provider's API token …) becomes a Secret owned by the
// user. certplane cannot tell which values are secret, so every value is sealed on arrival.
import type { SecretCommand, SecretState } from "@certplane/domain/model";
import { secretDecider, streams } from "@certplane/domain/model";
import { open, seal, secretValueAad } from "@certplane/pki";
import { type ApplyStep, streamApplyStep } from "../manifests/apply-step.ts";
import type { Sealer } from "./import-tls-secret.ts";

export interface OpaqueSecretImport {
  readonly name: string;
  readonly namespace: string;
  readonly type: string;
  readonly entries: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

function holdsSameValues(state: SecretState, input: OpaqueSecretImport, sealer: Sealer): boolean {
  if (state.status !== "present" || state.owner.kind !== "User") return false;
  const { content } = state;
  const sameMeta =
    content.type === input.type &&
    JSON.stringify(content.labels ?? {}) === JSON.stringify(input.labels ?? {}) &&
    JSON.stringify(content.annotations ?? {}) === JSON.stringify(input.annotations ?? {});
  const keys = Object.keys(input.entries);
  if (!sameMeta || Object.keys(content.data).length > 0 || Object.keys(content.sealedData).length !== keys.length) {
    return false;
  }
  return keys.every((key) => {
    const sealed = content.sealedData[key];
    if (sealed === undefined) return false;
    try {
      return open(sealer.kek, sealed, secretValueAad(input, key)).toString("utf8") === input.entries[key];
    } catch {
      return false;
    }
  });
}

export function importOpaqueSecretStep(sealer: Sealer, actor: string, input: OpaqueSecretImport): ApplyStep {
  return streamApplyStep({
    stream: streams.secret(input.namespace, input.name),
    decider: secretDecider,
    exists: (state) => state.status === "present",
    command: (state, now): SecretCommand | undefined =>
      holdsSameValues(state, input, sealer)
        ? undefined
        : {
            type: "WriteSecret",
            name: input.name,
            namespace: input.namespace,
            content: {
              type: input.type,
              data: {},
              sealedData: Object.fromEntries(
                Object.entries(input.entries).map(([key, value]) => [
                  key,
                  seal(sealer.kek, value, secretValueAad(input, key), sealer.random),
                ]),
              ),
              ...(input.labels && Object.keys(input.labels).length > 0 ? { labels: input.labels } : {}),
              ...(input.annotations && Object.keys(input.annotations).length > 0
                ? { annotations: input.annotations }
                : {}),
            },
            owner: { kind: "User", actor },
            now: now.toISOString(),
          },
  });
}

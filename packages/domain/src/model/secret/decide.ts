import type { Decider } from "../../decider.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../../errors.ts";
import { jsonEqual } from "../object-meta.ts";
import type { SecretCommand } from "./commands.ts";
import type { SecretContent, SecretEvent } from "./events.ts";
import { evolveSecret } from "./evolve.ts";
import { describeOwner, sameOwner } from "./owner.ts";
import { sealedPrefix } from "./sealed-value.ts";
import type { SecretState } from "./state.ts";
import { initialSecretState } from "./state.ts";

/** Rejects plaintext private keys in the public part, the last guard before the event store. */
function plaintextKeyIssues(content: SecretContent): ValidationError | undefined {
  for (const [key, value] of Object.entries(content.data)) {
    if (/PRIVATE KEY-----/.test(value)) {
      return ValidationError.of(
        `data.${key}`,
        "sealed",
        `private key material must be sealed, not stored in data.${key}`,
      );
    }
  }
  for (const [key, value] of Object.entries(content.sealedData)) {
    if (!value.startsWith(sealedPrefix)) {
      return ValidationError.of(`sealedData.${key}`, "sealed", `sealedData.${key} is not a sealed value`);
    }
  }
  return undefined;
}

function decideSecret(command: SecretCommand, state: SecretState): SecretEvent[] {
  switch (command.type) {
    case "WriteSecret": {
      const invalid = plaintextKeyIssues(command.content);
      if (invalid) throw invalid;
      if (state.status === "present") {
        if (command.ifAbsent) return [];
        // A certificate may replace its own secret; an import may replace an import; nothing else.
        const takesOverNextKey =
          state.owner.kind === "NextPrivateKey" && command.owner.kind === "NextPrivateKey";
        if (!sameOwner(state.owner, command.owner) && !takesOverNextKey) {
          throw new ForbiddenError(
            `secret ${command.namespace}/${command.name} exists and was not created by ${describeOwner(command.owner)} ` +
              `(it belongs to ${describeOwner(state.owner)}); certplane will not overwrite it: choose another spec.secretName or delete the secret`,
            { field: "spec.secretName" },
          );
        }
        if (jsonEqual(state.content, command.content)) return [];
      }
      return [
        {
          type: "SecretWritten",
          data: {
            ...command.content,
            name: command.name,
            namespace: command.namespace,
            owner: command.owner,
            writtenAt: command.now,
          },
        },
      ];
    }
    case "DeleteSecret": {
      if (state.status !== "present") {
        if (command.expectedOwner) return [];
        throw new NotFoundError("secret not found");
      }
      if (command.expectedOwner && !sameOwner(state.owner, command.expectedOwner)) return [];
      return [{ type: "SecretDeleted", data: { reason: command.reason, deletedAt: command.now } }];
    }
  }
}

export const secretDecider: Decider<SecretCommand, SecretEvent, SecretState> = {
  initialState: initialSecretState,
  decide: decideSecret,
  evolve: evolveSecret,
};

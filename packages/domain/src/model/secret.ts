import type { Decider } from "../decider.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import { jsonEqual } from "./object-meta.ts";

/**
 * A value sealed with AES-256-GCM under the key-encryption key (format `sealed:v1:…`, see
 * @certplane/pki sealing). Private keys only ever enter events in this form.
 */
export type SealedValue = string;

export const sealedPrefix = "sealed:v1:";

/** Who created a secret, so certplane never overwrites one it did not create. */
export type SecretOwner =
  | { readonly kind: "Certificate"; readonly name: string; readonly uid: string }
  | { readonly kind: "NextPrivateKey"; readonly certificateName: string; readonly certificateUid: string }
  | { readonly kind: "User"; readonly actor: string }
  /** An ACME account key certplane generated for an issuer (`issuer` is the issuer's stream). */
  | { readonly kind: "AcmeAccount"; readonly issuer: string };

export interface SecretContent {
  readonly type: string;
  /** Public values (certificates), as text. */
  readonly data: Readonly<Record<string, string>>;
  /** Secret values (private keys), sealed. */
  readonly sealedData: Readonly<Record<string, SealedValue>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export type SecretEvent =
  | {
      readonly type: "SecretWritten";
      readonly data: SecretContent & {
        readonly name: string;
        readonly namespace: string;
        readonly owner: SecretOwner;
        readonly writtenAt: string;
      };
    }
  | {
      readonly type: "SecretDeleted";
      readonly data: { readonly reason: string; readonly deletedAt: string };
    };

export type SecretCommand =
  | {
      readonly type: "WriteSecret";
      readonly name: string;
      readonly namespace: string;
      readonly content: SecretContent;
      readonly owner: SecretOwner;
      /** Keep a secret that exists already (a key another instance generated first wins). */
      readonly ifAbsent?: boolean;
      readonly now: string;
    }
  | {
      readonly type: "DeleteSecret";
      readonly reason: string;
      /** When set, only delete a secret this owner created. */
      readonly expectedOwner?: SecretOwner;
      readonly now: string;
    };

export type SecretState =
  | { readonly status: "absent" }
  | {
      readonly status: "present";
      readonly name: string;
      readonly namespace: string;
      readonly content: SecretContent;
      readonly owner: SecretOwner;
      readonly createdAt: string;
      readonly updatedAt: string;
      readonly version: number;
    };

export function sameOwner(a: SecretOwner, b: SecretOwner): boolean {
  if (a.kind === "Certificate" && b.kind === "Certificate") return a.name === b.name && a.uid === b.uid;
  if (a.kind === "NextPrivateKey" && b.kind === "NextPrivateKey") {
    return a.certificateName === b.certificateName && a.certificateUid === b.certificateUid;
  }
  if (a.kind === "AcmeAccount" && b.kind === "AcmeAccount") return a.issuer === b.issuer;
  return a.kind === "User" && b.kind === "User";
}

function describeOwner(owner: SecretOwner): string {
  switch (owner.kind) {
    case "Certificate":
      return `Certificate ${owner.name}`;
    case "NextPrivateKey":
      return `the next private key of Certificate ${owner.certificateName}`;
    case "User":
      return `${owner.actor} (imported)`;
    case "AcmeAccount":
      return `the ACME account of ${owner.issuer}`;
  }
}

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

export const secretDecider: Decider<SecretCommand, SecretEvent, SecretState> = {
  initialState: () => ({ status: "absent" }),

  decide(command, state) {
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
  },

  evolve(state, event) {
    switch (event.type) {
      case "SecretWritten": {
        const { name, namespace, owner, writtenAt, ...content } = event.data;
        return {
          status: "present",
          name,
          namespace,
          owner,
          content,
          createdAt: state.status === "present" ? state.createdAt : writtenAt,
          updatedAt: writtenAt,
          version: state.status === "present" ? state.version + 1 : 1,
        };
      }
      case "SecretDeleted":
        return { status: "absent" };
    }
  },
};

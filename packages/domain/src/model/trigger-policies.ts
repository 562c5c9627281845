// cert-manager's reissue trigger chain (§1.6), as an ordered list of small named checks. The first
// check that finds a violation names the reason the certificate is reissued.
import type { IssuanceTriggerReason } from "./certificate/events.ts";
import type { SecretFacts, TriggerInput } from "./trigger-input.ts";
import { secretAnnotations } from "./trigger-input.ts";

export interface TriggerVerdict {
  readonly reason: IssuanceTriggerReason;
  readonly message: string;
}

export interface TriggerCheck {
  readonly name: string;
  check(input: TriggerInput): TriggerVerdict | undefined;
}

function withSecret(check: (secret: SecretFacts, input: TriggerInput) => TriggerVerdict | undefined) {
  return (input: TriggerInput) => (input.secret ? check(input.secret, input) : undefined);
}

const defaultKeySize: Readonly<Record<string, number | undefined>> = {
  RSA: 2048,
  ECDSA: 256,
  Ed25519: undefined,
};

export const secretDoesNotExist: TriggerCheck = {
  name: "secretDoesNotExist",
  check: (input) =>
    input.secret
      ? undefined
      : { reason: "DoesNotExist", message: "Issuing certificate as Secret does not exist" },
};

export const secretMissingData: TriggerCheck = {
  name: "secretMissingData",
  check: withSecret((secret) => {
    if (!secret.hasCertificate) {
      return {
        reason: "MissingData",
        message: "Issuing certificate as Secret does not contain a certificate",
      };
    }
    if (!secret.hasPrivateKey) {
      return {
        reason: "MissingData",
        message: "Issuing certificate as Secret does not contain a private key",
      };
    }
    return undefined;
  }),
};

export const secretKeyPairMismatch: TriggerCheck = {
  name: "secretKeyPairMismatch",
  check: withSecret((secret) => {
    if (!secret.certificateDecodes || !secret.certificate) {
      return {
        reason: "InvalidKeyPair",
        message: "Issuing certificate as Secret contains an invalid certificate",
      };
    }
    // Without the recorded key id the pair cannot be compared without opening the key: assume it holds.
    if (secret.privateKeyId !== undefined && secret.privateKeyId !== secret.certificate.keyId) {
      return {
        reason: "InvalidKeyPair",
        message: "Issuing certificate as Secret contains a private key that does not match the certificate",
      };
    }
    return undefined;
  }),
};

export const secretIssuedByAnotherIssuer: TriggerCheck = {
  name: "secretIssuedByAnotherIssuer",
  check: withSecret((secret, input) => {
    const annotations = secret.annotations;
    const name = annotations[secretAnnotations.issuerName];
    if (name === undefined) return undefined;
    const kind = annotations[secretAnnotations.issuerKind] || "Issuer";
    const group = annotations[secretAnnotations.issuerGroup] || "cert-manager.io";
    const ref = input.certificate.issuerRef;
    if (name === ref.name && kind === (ref.kind || "Issuer") && group === (ref.group || "cert-manager.io")) {
      return undefined;
    }
    return {
      reason: "IncorrectIssuer",
      message: `Issuing certificate as Secret was previously issued by "${kind}.${group}/${name}"`,
    };
  }),
};

export const secretOfAnotherCertificate: TriggerCheck = {
  name: "secretOfAnotherCertificate",
  check: withSecret((secret, input) => {
    const owner = secret.annotations[secretAnnotations.certificateName];
    if (owner === undefined || owner === input.certificate.name) return undefined;
    return {
      reason: "IncorrectCertificate",
      message: `Issuing certificate as Secret was previously issued for "${owner}"`,
    };
  }),
};

export const privateKeyNotAsSpecified: TriggerCheck = {
  name: "privateKeyNotAsSpecified",
  check: withSecret((secret, input) => {
    const key = secret.certificate;
    if (!key) return undefined;
    const algorithm = input.certificate.privateKey?.algorithm ?? "RSA";
    const size =
      algorithm === "Ed25519" ? undefined : (input.certificate.privateKey?.size ?? defaultKeySize[algorithm]);
    const changed: string[] = [];
    if (key.algorithm !== algorithm) changed.push("spec.privateKey.algorithm");
    else if (size !== undefined && key.size !== size) changed.push("spec.privateKey.size");
    if (changed.length === 0) return undefined;
    return {
      reason: "SecretMismatch",
      message: `Existing private key is not up to date for spec: [${changed.join(" ")}]`,
    };
  }),
};

export const requestChanged: TriggerCheck = {
  name: "requestChanged",
  check: (input) =>
    input.certificate.changedFields.length === 0
      ? undefined
      : {
          reason: "RequestChanged",
          message: `Fields on existing CertificateRequest resource not up to date: [${input.certificate.changedFields.join(" ")}]`,
        },
};

export const renewalTimeReached: TriggerCheck = {
  name: "renewalTimeReached",
  check: (input) =>
    input.renewalTime !== undefined && input.now.getTime() >= input.renewalTime.getTime()
      ? {
          reason: "Renewing",
          message: `Renewing certificate as renewal was scheduled at ${input.renewalTime.toISOString()}`,
        }
      : undefined,
};

/** cert-manager's order: the secret's own problems first, then spec drift, then time. */
export const reissueTriggerChain: readonly TriggerCheck[] = [
  secretDoesNotExist,
  secretMissingData,
  secretKeyPairMismatch,
  secretIssuedByAnotherIssuer,
  secretOfAnotherCertificate,
  privateKeyNotAsSpecified,
  requestChanged,
  renewalTimeReached,
];

export function firstReissueReason(
  input: TriggerInput,
  chain: readonly TriggerCheck[] = reissueTriggerChain,
): TriggerVerdict | undefined {
  for (const policy of chain) {
    const verdict = policy.check(input);
    if (verdict) return verdict;
  }
  return undefined;
}

// Effective values of a Certificate spec. These are *interpreted, not persisted*: the stored spec
// keeps what the user wrote (cert-manager stopped persisting issuerRef defaults in Oct 2025), and
// every reader derives the same effective values from this one function.
import { formatGoDuration, readGoDuration } from "../duration.ts";
import type {
  CertificateSpec,
  KeyUsage,
  PrivateKeyAlgorithm,
  PrivateKeyEncoding,
  PrivateKeyRotationPolicy,
} from "../resources/certificate.ts";

export const DEFAULT_CERTIFICATE_DURATION_MS = 2160 * 3_600_000;
export const MINIMUM_CERTIFICATE_DURATION_MS = 3_600_000;
export const MINIMUM_RENEW_BEFORE_MS = 5 * 60_000;
export const DEFAULT_KEY_USAGES: readonly KeyUsage[] = ["digital signature", "key encipherment"];

export interface EffectiveCertificateSpec {
  readonly issuerRef: { readonly name: string; readonly kind: string; readonly group: string };
  readonly privateKey: {
    readonly algorithm: PrivateKeyAlgorithm;
    /** Undefined for Ed25519, whose size is fixed. */
    readonly size: number | undefined;
    readonly encoding: PrivateKeyEncoding;
    readonly rotationPolicy: PrivateKeyRotationPolicy;
  };
  readonly duration: string;
  readonly durationMs: number;
  /** As requested; the CSR builder adds `cert sign` for CA certificates. */
  readonly usages: readonly string[];
  readonly isCA: boolean;
  readonly encodeUsagesInRequest: boolean;
  readonly revisionHistoryLimit: number;
}

/** Reads the spec's effective duration; the schema has already refused unparsable strings. */
export function effectiveDurationMs(spec: Pick<CertificateSpec, "duration">): number {
  if (spec.duration === undefined) return DEFAULT_CERTIFICATE_DURATION_MS;
  const reading = readGoDuration(spec.duration);
  return reading.ok ? reading.ms : DEFAULT_CERTIFICATE_DURATION_MS;
}

export function applyCertificateDefaults(spec: CertificateSpec): EffectiveCertificateSpec {
  const algorithm = spec.privateKey?.algorithm ?? "RSA";
  const defaultSize = { RSA: 2048, ECDSA: 256, Ed25519: undefined }[algorithm];
  const durationMs = effectiveDurationMs(spec);
  return {
    issuerRef: {
      name: spec.issuerRef.name,
      kind: spec.issuerRef.kind || "Issuer",
      group: spec.issuerRef.group || "cert-manager.io",
    },
    privateKey: {
      algorithm,
      size: algorithm === "Ed25519" ? undefined : spec.privateKey?.size || defaultSize,
      encoding: spec.privateKey?.encoding ?? "PKCS1",
      rotationPolicy: spec.privateKey?.rotationPolicy ?? "Always",
    },
    duration: formatGoDuration(durationMs),
    durationMs,
    usages: spec.usages?.length ? spec.usages : DEFAULT_KEY_USAGES,
    isCA: spec.isCA ?? false,
    encodeUsagesInRequest: spec.encodeUsagesInRequest ?? true,
    revisionHistoryLimit: spec.revisionHistoryLimit ?? 1,
  };
}

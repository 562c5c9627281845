import type { Secret } from "@certplane/domain";
import type { TlsPair } from "./tls-pair.ts";

export const tlsSecretType = "kubernetes.io/tls";
/** Kubernetes' type for a Secret that names none. */
export const opaqueSecretType = "Opaque";

/** The fields of a Secret manifest in which each part of the pair arrives. */
export const secretManifestFields = { certificate: "data[tls.crt]", privateKey: "data[tls.key]", ca: "data[ca.crt]" };

/** Kubernetes merges `stringData` over the base64 `data`; certplane stores the text. */
export function secretEntries(secret: Secret): Record<string, string> {
  const decoded = Object.entries(secret.data ?? {}).map(([key, value]) => [
    key,
    Buffer.from(value, "base64").toString("utf8"),
  ]);
  return { ...Object.fromEntries(decoded), ...(secret.stringData ?? {}) };
}

export function tlsPairOf(secret: Secret): TlsPair | undefined {
  const entries = secretEntries(secret);
  const certificatePem = entries["tls.crt"];
  const privateKeyPem = entries["tls.key"];
  if (certificatePem === undefined || privateKeyPem === undefined) return undefined;
  const caPem = entries["ca.crt"];
  return { certificatePem, privateKeyPem, ...(caPem === undefined || caPem === "" ? {} : { caPem }) };
}

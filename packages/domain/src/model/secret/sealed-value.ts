/**
 * A value sealed with AES-256-GCM under the key-encryption key (format `sealed:v1:…`, see
 * @certplane/pki sealing). Private keys only ever enter events in this form.
 */
export type SealedValue = string;

export const sealedPrefix = "sealed:v1:";

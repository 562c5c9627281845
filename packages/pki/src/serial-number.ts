import { ValidationError } from "@certplane/domain";

/** Returns `size` cryptographically random bytes (node's randomBytes at the composition root). */
export type RandomSource = (size: number) => Uint8Array;

/** A random positive 128-bit serial as lowercase hex, like cert-manager's rand.Int(2^128). */
export function randomSerialNumber(random: RandomSource): string {
  for (;;) {
    const hex = Buffer.from(random(16)).toString("hex");
    if (/[1-9a-f]/.test(hex)) return hex;
  }
}

/** RFC 5280 §4.1.2.2: positive, at most 20 octets. */
export function assertSerialNumber(hex: string, field = "serialNumber"): void {
  const digits = hex.replace(/^0+/, "");
  if (!/^[0-9a-f]+$/i.test(hex) || digits.length === 0 || digits.length > 40) {
    throw ValidationError.of(field, "serial", "serial number must be 1..20 octets of non-zero hex");
  }
}

import { ValidationError } from "@certplane/domain";

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

export function toPem(label: string, der: Uint8Array): string {
  const body = Buffer.from(der)
    .toString("base64")
    .replace(/.{1,64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}

export function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(BLOCK)].map((m) => ({
    label: m[1]!,
    der: new Uint8Array(Buffer.from(m[2]!.replace(/\s+/g, ""), "base64")),
  }));
}

/** Splits a PEM bundle (leaf first, as in tls.crt) into one PEM string per certificate. */
export function splitPemChain(pem: string): string[] {
  return pemBlocks(pem)
    .filter((b) => b.label === "CERTIFICATE")
    .map((b) => toPem(b.label, b.der));
}

export function singlePemBlock(text: string, label: string, field: string): Uint8Array {
  const block = pemBlocks(text).find((b) => b.label === label);
  if (!block) throw ValidationError.of(field, "pem", `expected a PEM block of type ${label}`);
  return block.der;
}

// Java KeyStore (JKS) files as cert-manager writes them with keystore-go: a PrivateKeyEntry with the
// whole chain, and a TrustedCertEntry "ca" when there is a CA.
//
// Written here because npm has no well-kept JKS writer (jks-js only reads). The format is small and
// fixed since JDK 1.2 (sun.security.provider.JavaKeyStore, KeyProtector):
//   magic FEEDFEED, version 2, entry count, entries, then SHA-1(password ‖ "Mighty Aphrodite" ‖ all before)
//   PrivateKeyEntry: tag 1, alias, creation ms, EncryptedPrivateKeyInfo, chain (type "X.509", DER each)
//   TrustedCertEntry: tag 2, alias, creation ms, type "X.509", DER
// where the password is UTF-16BE and the key protector is Sun's XOR stream of chained SHA-1s.
import type { KeyObject } from "node:crypto";
import { createHash } from "node:crypto";
import { ValidationError } from "@certplane/domain";
import { der } from "./asn1-der.ts";
import type { RandomSource } from "./serial-number.ts";

const MAGIC = 0xfeedfeed;
const VERSION = 2;
const PRIVATE_KEY_ENTRY = 1;
const TRUSTED_CERT_ENTRY = 2;
const CERT_TYPE = "X.509";
const WHITENER = Buffer.from("Mighty Aphrodite", "utf8");
// Sun's proprietary key protection algorithm, 1.3.6.1.4.1.42.2.17.1.1.
const SUN_KEY_PROTECTOR = "1.3.6.1.4.1.42.2.17.1.1";
const SALT_BYTES = 20;

export interface JksKeyEntry {
  readonly alias: string;
  readonly key: KeyObject;
  /** DER certificates, leaf first. */
  readonly chain: readonly Uint8Array[];
}

export interface JksTrustedEntry {
  readonly alias: string;
  /** DER certificate. */
  readonly certificate: Uint8Array;
}

export interface JksInput {
  readonly password: string;
  readonly keys?: readonly JksKeyEntry[];
  readonly trusted?: readonly JksTrustedEntry[];
  /** Each entry's creation date, passed in so the same inputs give the same file. */
  readonly created: Date;
  /** Salts of the key protector. */
  readonly random: RandomSource;
}

/** A JKS file; aliases are lower-cased as Java's JKS (and keystore-go) treat them case-insensitively. */
export function encodeJks(input: JksInput): Buffer {
  const password = Buffer.from(input.password, "utf16le").swap16();
  const entries = [
    ...(input.keys ?? []).map((entry) => ({
      alias: aliasOf(entry.alias),
      bytes: () => keyEntry(entry, password, input),
    })),
    ...(input.trusted ?? []).map((entry) => ({
      alias: aliasOf(entry.alias),
      bytes: () => trustedEntry(entry, input),
    })),
  ].sort((a, b) => (a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0));
  const aliases = new Set(entries.map((entry) => entry.alias));
  if (aliases.size !== entries.length) {
    throw ValidationError.of(
      "alias",
      "duplicate",
      "a JKS keystore cannot hold two entries with the same alias",
    );
  }
  const body = Buffer.concat([
    int32(MAGIC),
    int32(VERSION),
    int32(entries.length),
    ...entries.map((e) => e.bytes()),
  ]);
  const digest = createHash("sha1").update(password).update(WHITENER).update(body).digest();
  return Buffer.concat([body, digest]);
}

function aliasOf(alias: string): string {
  if (alias === "") throw ValidationError.of("alias", "required", "a JKS alias must not be empty");
  return alias.toLowerCase();
}

function keyEntry(entry: JksKeyEntry, password: Buffer, input: JksInput): Buffer {
  if (entry.chain.length === 0) {
    throw ValidationError.of("chain", "required", "a JKS private key entry needs its certificate chain");
  }
  const protectedKey = der.encode(
    der.seq([
      der.seq([der.oid(SUN_KEY_PROTECTOR), der.null()]),
      der.octets(protect(entry.key.export({ type: "pkcs8", format: "der" }), password, input.random)),
    ]),
  );
  return Buffer.concat([
    int32(PRIVATE_KEY_ENTRY),
    javaUtf(entry.alias.toLowerCase()),
    int64(input.created.getTime()),
    int32(protectedKey.length),
    protectedKey,
    int32(entry.chain.length),
    ...entry.chain.flatMap((cert) => [javaUtf(CERT_TYPE), int32(cert.length), Buffer.from(cert)]),
  ]);
}

function trustedEntry(entry: JksTrustedEntry, input: JksInput): Buffer {
  return Buffer.concat([
    int32(TRUSTED_CERT_ENTRY),
    javaUtf(entry.alias.toLowerCase()),
    int64(input.created.getTime()),
    javaUtf(CERT_TYPE),
    int32(entry.certificate.length),
    Buffer.from(entry.certificate),
  ]);
}

/**
 * Sun's KeyProtector.protect: salt ‖ (key XOR stream) ‖ SHA-1(password ‖ key), the stream being
 * d₁ = SHA-1(password ‖ salt), dᵢ₊₁ = SHA-1(password ‖ dᵢ).
 */
function protect(plaintext: Buffer, password: Buffer, random: RandomSource): Buffer {
  const salt = Buffer.from(random(SALT_BYTES));
  const stream: Buffer[] = [];
  let digest = salt;
  for (let length = 0; length < plaintext.length; length += digest.length) {
    digest = createHash("sha1").update(password).update(digest).digest();
    stream.push(digest);
  }
  const keystream = Buffer.concat(stream);
  const encrypted = Buffer.from(plaintext.map((byte, i) => byte ^ keystream[i]!));
  const check = createHash("sha1").update(password).update(plaintext).digest();
  return Buffer.concat([salt, encrypted, check]);
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0);
  return buffer;
}

function int64(value: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64BE(BigInt(value));
  return buffer;
}

/** DataOutputStream.writeUTF: a 16-bit length, then modified UTF-8 (NUL and each surrogate on their own). */
function javaUtf(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x01 && unit <= 0x7f) bytes.push(unit);
    else if (unit <= 0x7ff) bytes.push(0xc0 | (unit >> 6), 0x80 | (unit & 0x3f));
    else bytes.push(0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f));
  }
  if (bytes.length > 0xffff)
    throw ValidationError.of("alias", "tooLong", "a JKS alias must fit in 65535 bytes");
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, Buffer.from(bytes)]);
}

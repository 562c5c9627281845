import {
  type ConnectApiOptions,
  defaultGrpcAddress,
  parseServerUrl,
  type ServerTarget,
} from "@certplane/api";
import { parseNatsSecurity } from "@certplane/runtime";
import { usageError } from "./command.ts";
import type { Flags } from "./flags.ts";
import { readTextFile } from "./read-input.ts";

const defaultServer = `grpc://${defaultGrpcAddress}`;

type ClientTls = NonNullable<ConnectApiOptions["tls"]>;

/** A file and the flag or variable that named it, so a bad file is reported by that name. */
interface NamedFile {
  readonly path: string;
  readonly source: string;
}

export interface Connection {
  readonly target: ServerTarget;
  /** Reads the PEM files named for TLS; an empty object for a plaintext target. */
  clientTls(): Promise<ClientTls>;
  /** For a nats:// target: the NATS user and TLS files the services' own variables name. */
  natsSecurity(): ConnectApiOptions["nats"];
  /** For a gRPC target: the bearer token --token-file (or CERTPLANE_TOKEN_FILE) holds. */
  token(): Promise<string | undefined>;
}

/**
 * --server (or CERTPLANE_SERVER); for grpcs:// also --certificate-authority (or CERTPLANE_CA_FILE)
 * and --client-certificate with --client-key. Checked before anything is read or dialled.
 */
export function resolveConnection(
  flags: Flags,
  env: Readonly<Record<string, string | undefined>>,
): Connection {
  const server = flags.server ?? env.CERTPLANE_SERVER ?? defaultServer;
  const target = parseServerUrl(server, "--server");
  const tokenFile =
    named(flags["token-file"], "--token-file") ??
    named(env.CERTPLANE_TOKEN_FILE || undefined, "CERTPLANE_TOKEN_FILE");
  if (flags["token-file"] !== undefined && target.transport === "nats") {
    throw usageError(
      "--token-file is for grpc:// and grpcs:// servers; over NATS the NATS user is the identity",
    );
  }
  const token = async () => (tokenFile === undefined ? undefined : await readToken(tokenFile));
  const clientCertificate = named(flags["client-certificate"], "--client-certificate");
  const clientKey = named(flags["client-key"], "--client-key");
  if ((clientCertificate === undefined) !== (clientKey === undefined)) {
    throw usageError("--client-certificate and --client-key are needed together");
  }
  const tlsFlags = (["certificate-authority", "client-certificate", "client-key"] as const).filter(
    (name) => flags[name] !== undefined,
  );
  const secure = target.transport === "grpc" && target.tls;
  if (!secure) {
    if (tlsFlags.length > 0) {
      throw usageError(
        `${tlsFlags.map((name) => `--${name}`).join(", ")} need a grpcs://HOST:PORT server, got ${server}`,
      );
    }
    // CERTPLANE_CA_FILE may be set for another server; a plaintext target has no use for it.
    return {
      target,
      clientTls: async () => ({}),
      natsSecurity: () => (target.transport === "nats" ? parseNatsSecurity(env) : undefined),
      token: target.transport === "nats" ? async () => undefined : token,
    };
  }
  const ca =
    named(flags["certificate-authority"], "--certificate-authority") ??
    named(env.CERTPLANE_CA_FILE || undefined, "CERTPLANE_CA_FILE");
  return {
    target,
    natsSecurity: () => undefined,
    token,
    clientTls: async () => ({
      ...(ca === undefined ? {} : { caPem: await readPem(ca, "CERTIFICATE") }),
      ...(clientCertificate === undefined
        ? {}
        : { certificatePem: await readPem(clientCertificate, "CERTIFICATE") }),
      ...(clientKey === undefined ? {} : { privateKeyPem: await readPem(clientKey, "PRIVATE KEY") }),
    }),
  };
}

function named(path: string | undefined, source: string): NamedFile | undefined {
  return path === undefined ? undefined : { path, source };
}

// The message names the file, never its contents: one of them is a private key.
async function readPem(file: NamedFile, block: "CERTIFICATE" | "PRIVATE KEY"): Promise<string> {
  const text = await readTextFile(file.path, file.source);
  if (!new RegExp(`-----BEGIN ([A-Z]+ )?${block}-----`).test(text)) {
    throw usageError(`${file.source} ${file.path} holds no PEM ${block}`);
  }
  return text;
}

/** The file's one line; a trailing newline is how editors and `echo` write it, not the token. */
async function readToken(file: NamedFile): Promise<string> {
  const token = (await readTextFile(file.path, file.source)).replace(/\r?\n$/, "");
  if (!/^\S+$/.test(token)) throw usageError(`${file.source} ${file.path} must hold one token on one line`);
  return token;
}

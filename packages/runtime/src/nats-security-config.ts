// The NATS user and TLS files of a service, from its environment. Secrets come from files (systemd
// LoadCredential=, a mounted Kubernetes Secret), never from variables, so they stay out of `ps e`.
import { accessSync, constants, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ValidationError } from "@certplane/domain";
import type { NatsConnectionSettings } from "@certplane/messaging";

const USER = "CERTPLANE_NATS_USER";
const PASSWORD_FILE = "CERTPLANE_NATS_PASSWORD_FILE";
const CA_FILE = "CERTPLANE_NATS_TLS_CA_FILE";
const CERT_FILE = "CERTPLANE_NATS_TLS_CERT_FILE";
const KEY_FILE = "CERTPLANE_NATS_TLS_KEY_FILE";

function readableFile(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === "") return undefined;
  const path = resolve(value);
  try {
    accessSync(path, constants.R_OK);
  } catch (cause) {
    throw ValidationError.of(
      name,
      "readableFile",
      `${name}: cannot read ${path} (${(cause as Error).message})`,
    );
  }
  return path;
}

function bothOrNeither(env: NodeJS.ProcessEnv, first: string, second: string): void {
  if (Boolean(env[first]) !== Boolean(env[second])) {
    const missing = env[first] ? second : first;
    throw ValidationError.of(
      missing,
      "required",
      `${first} and ${second} go together; ${missing} is not set`,
    );
  }
}

function parseAuth(env: NodeJS.ProcessEnv): NatsConnectionSettings["auth"] {
  bothOrNeither(env, USER, PASSWORD_FILE);
  const passwordFile = readableFile(env, PASSWORD_FILE);
  if (passwordFile === undefined) return undefined;
  // A trailing newline is how editors and `echo` write the file, never part of the password.
  const password = readFileSync(passwordFile, "utf8").replace(/\r?\n$/, "");
  if (password === "")
    throw ValidationError.of(PASSWORD_FILE, "nonEmpty", `${PASSWORD_FILE}: ${passwordFile} is empty`);
  return { user: env[USER] as string, password, source: `${USER} and ${PASSWORD_FILE} (${passwordFile})` };
}

function parseTls(env: NodeJS.ProcessEnv): NatsConnectionSettings["tls"] {
  bothOrNeither(env, CERT_FILE, KEY_FILE);
  const files = {
    caFile: readableFile(env, CA_FILE),
    certFile: readableFile(env, CERT_FILE),
    keyFile: readableFile(env, KEY_FILE),
  };
  const given = Object.entries(files).filter(([, path]) => path !== undefined);
  return given.length === 0 ? undefined : Object.fromEntries(given);
}

export function parseNatsSecurity(env: NodeJS.ProcessEnv): Omit<NatsConnectionSettings, "inboxPrefix"> {
  const auth = parseAuth(env);
  const tls = parseTls(env);
  return Object.freeze({ ...(auth ? { auth } : {}), ...(tls ? { tls } : {}) });
}

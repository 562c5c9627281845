// The one way certplane opens a NATS connection (command bus and JetStream store alike): the same
// credentials, TLS files and inbox prefix for both, and one translation of what the server refuses.
import { ForbiddenError, UnavailableError } from "@certplane/domain";
import { type ConnectionOptions, connect, errors, type NatsConnection } from "@nats-io/transport-node";

/** Who the connection is and how it is protected; from host configuration, shared by every connection. */
export interface NatsConnectionSettings {
  readonly auth?: {
    readonly user: string;
    readonly password: string;
    /** Where the credentials came from, named in the error when the server refuses them. */
    readonly source: string;
  };
  /** PEM files. A CA alone verifies the server; a certificate and key add the client's (mutual TLS). */
  readonly tls?: { readonly caFile?: string; readonly certFile?: string; readonly keyFile?: string };
  /**
   * Replies and consumer deliveries arrive below this prefix (`_INBOX.<service>`), so a user can be
   * allowed to subscribe to its own replies only, not to every other service's.
   */
  readonly inboxPrefix?: string;
}

/** Connection-level options of nats.js for `settings`; the caller adds name and reconnect policy. */
function securityOptions(settings: NatsConnectionSettings): Partial<ConnectionOptions> {
  return {
    ...(settings.auth ? { user: settings.auth.user, pass: settings.auth.password } : {}),
    ...(settings.tls ? { tls: { ...settings.tls } } : {}),
    ...(settings.inboxPrefix ? { inboxPrefix: settings.inboxPrefix } : {}),
  };
}

/** Connects with `settings` on top of `options`; a refusal is a typed error that says what to check. */
export async function connectNats(
  settings: NatsConnectionSettings,
  options: ConnectionOptions & { readonly servers: string | string[] },
): Promise<NatsConnection> {
  try {
    return await connect({ ...options, ...securityOptions(settings) });
  } catch (cause) {
    throw connectionRefusal(cause, settings, [options.servers].flat().join(", "));
  }
}

function connectionRefusal(cause: unknown, settings: NatsConnectionSettings, servers: string): Error {
  if (cause instanceof errors.AuthorizationError) {
    const who = settings.auth
      ? `the credentials for user ${settings.auth.user}`
      : "a connection without credentials";
    const check = settings.auth
      ? `check ${settings.auth.source}`
      : "this server requires a user and password";
    return new ForbiddenError(`NATS refused ${who} at ${servers}: ${check}`, { cause });
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new UnavailableError(`cannot connect to NATS at ${servers}: ${reason}`, { cause });
}

/** A subject the server's permissions for this user do not allow, as a typed error; otherwise undefined. */
export function permissionDenied(error: unknown, action: string): ForbiddenError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof errors.PermissionViolationError) {
      return new ForbiddenError(
        `${action}: the NATS server does not allow this user to ${e.operation === "publish" ? "publish to" : "subscribe to"} ${e.subject}`,
        { cause: error },
      );
    }
  }
  return undefined;
}

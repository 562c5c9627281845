// Who is calling the API, as the transport can tell. gRPC over mutual TLS names the client
// certificate's subject; plaintext gRPC (loopback only) and the NATS transport carry no proof of
// identity, so the user name a client states is recorded as exactly that: unauthenticated.
import type { PeerCertificate } from "node:tls";

export interface ApiCaller {
  /** Recorded as `metadata.actor` of every event the call causes. */
  readonly actor: string;
  /**
   * Every name the transport proved (the actor first): an access policy binds roles to these.
   * A client certificate gives its subject, its DNS names and its URIs (SPIFFE IDs).
   */
  readonly identities: readonly string[];
  /** The W3C trace context the client sent, continued by the events the call causes. */
  readonly traceparent?: string;
}

/** W3C Trace Context's header, as gRPC metadata and as a NATS header. */
export const TRACEPARENT_KEY = "traceparent";

/** The header/metadata key a client states its local user name in. */
export const CALLER_USER_KEY = "certplane-user";

/** A stated name is kept only if it reads as a user name: no spaces, no control characters. */
function statedUser(value: string | undefined): string {
  return value !== undefined && /^[A-Za-z0-9._@-]{1,64}$/.test(value) ? value : "unknown";
}

/** `CN=alice,O=Team A`: the certificate subject in RFC 4514 order (most significant last is not kept). */
function subjectName(certificate: PeerCertificate): string | undefined {
  const subject = certificate.subject as unknown as Record<string, string | string[]> | undefined;
  if (!subject) return undefined;
  const parts = Object.entries(subject).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) => `${key}=${v}`),
  );
  return parts.length > 0 ? parts.reverse().join(",") : undefined;
}

/** `DNS:a.example, URI:spiffe://td/x, IP Address:10.0.0.1` → `dns:a.example`, `uri:spiffe://td/x`. */
function alternativeNames(certificate: PeerCertificate): string[] {
  return (certificate.subjectaltname ?? "")
    .split(", ")
    .flatMap((entry) =>
      entry.startsWith("DNS:")
        ? [`dns:${entry.slice(4)}`]
        : entry.startsWith("URI:")
          ? [`uri:${entry.slice(4)}`]
          : [],
    );
}

export function grpcCaller(
  peer: PeerCertificate | undefined,
  tls: boolean,
  stated: string | undefined,
  traceparent?: string,
  tokenName?: string,
): ApiCaller {
  const presented = peer !== undefined && Object.keys(peer).length > 0;
  const subject = presented ? subjectName(peer) : undefined;
  const proven = [
    ...(subject ? [`x509:${subject}`] : []),
    ...(presented ? alternativeNames(peer) : []),
    ...(tokenName === undefined ? [] : [`token:${tokenName}`]),
  ];
  const identities =
    proven.length > 0
      ? proven
      : [tls ? `tls-anonymous:${statedUser(stated)}` : `local:${statedUser(stated)}`];
  return { actor: identities[0]!, identities, ...(traceparent ? { traceparent } : {}) };
}

/** A NATS user the server's permissions proved (see apiSubjectAs): a name a policy may bind. */
export function natsUserCaller(user: string, traceparent?: string): ApiCaller {
  const actor = `nats:${user}`;
  return { actor, identities: [actor], ...(traceparent ? { traceparent } : {}) };
}

export function natsCaller(stated: string | undefined, traceparent?: string): ApiCaller {
  const actor = `nats-unauthenticated:${statedUser(stated)}`;
  return { actor, identities: [actor], ...(traceparent ? { traceparent } : {}) };
}

/** What an in-process caller of the API (a test, the embedded plane's own use) is recorded as. */
export const inProcessCaller: ApiCaller = { actor: "local:in-process", identities: ["local:in-process"] };

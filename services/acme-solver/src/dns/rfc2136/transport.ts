// One request, one response, over UDP or over TCP with the 2-byte length prefix (RFC 1035 §4.2.2).
import { createSocket } from "node:dgram";
import { connect, isIP, isIPv6 } from "node:net";
import { TimeoutError, TransientError, ValidationError } from "@certplane/domain";

export type DnsProtocol = "UDP" | "TCP";

export interface DnsEndpoint {
  readonly host: string;
  readonly port: number;
}

/** cert-manager's `nameserver`: `host`, `host:port`, `[v6]` or `[v6]:port`; the port defaults to 53. */
export function parseNameserver(text: string, field = "nameserver"): DnsEndpoint {
  const invalid = () =>
    ValidationError.of(
      field,
      "hostPort",
      `${JSON.stringify(text)} is not host[:port] (the port defaults to 53)`,
    );
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    if (!isIPv6(bracketed[1]!)) throw invalid();
    return { host: bracketed[1]!, port: portOf(bracketed[2], invalid) };
  }
  if (isIPv6(text)) return { host: text, port: 53 };
  const plain = /^([A-Za-z0-9.-]+)(?::(\d+))?$/.exec(text);
  if (!plain) throw invalid();
  return { host: plain[1]!, port: portOf(plain[2], invalid) };
}

function portOf(text: string | undefined, invalid: () => ValidationError): number {
  if (text === undefined) return 53;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid();
  return port;
}

export function formatEndpoint(endpoint: DnsEndpoint): string {
  return isIPv6(endpoint.host) ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}

export interface UdpReply {
  readonly kind: "reply";
  readonly message: Buffer;
}

/**
 * Resolves with the first datagram carrying the request's id (others are stray answers to earlier
 * requests), or `lost` when none arrives in time or the port is unreachable, so the caller can retry over TCP.
 */
export async function exchangeUdp(
  endpoint: DnsEndpoint,
  request: Buffer,
  timeoutMs: number,
): Promise<UdpReply | { readonly kind: "lost"; readonly reason: string }> {
  const socket = createSocket(isIP(endpoint.host) === 6 ? "udp6" : "udp4");
  const id = request.readUInt16BE(0);
  try {
    return await new Promise((resolve) => {
      const timer = setTimeout(
        () => resolve({ kind: "lost", reason: `no answer within ${timeoutMs} ms` }),
        timeoutMs,
      );
      const finish = (result: UdpReply | { kind: "lost"; reason: string }) => {
        clearTimeout(timer);
        resolve(result);
      };
      socket.on("message", (message) => {
        if (message.length >= 2 && message.readUInt16BE(0) === id) finish({ kind: "reply", message });
      });
      socket.on("error", (error) => finish({ kind: "lost", reason: error.message }));
      socket.connect(endpoint.port, endpoint.host, () => socket.send(request));
    });
  } finally {
    socket.close();
  }
}

export async function exchangeTcp(
  endpoint: DnsEndpoint,
  request: Buffer,
  timeoutMs: number,
): Promise<Buffer> {
  const where = formatEndpoint(endpoint);
  return await new Promise<Buffer>((resolve, reject) => {
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TimeoutError(`DNS server ${where} did not answer over TCP within ${timeoutMs} ms`));
    }, timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(
        new TransientError(`DNS exchange with ${where} over TCP failed: ${error.message}`, { cause: error }),
      );
    };
    socket.on("error", fail);
    socket.on("connect", () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(request.length);
      socket.write(Buffer.concat([length, request]));
    });
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 2 || received.length < 2 + received.readUInt16BE(0)) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(received.subarray(2, 2 + received.readUInt16BE(0)));
    });
    socket.on("end", () => fail(new Error("connection closed before a full response arrived")));
  });
}

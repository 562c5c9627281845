import { randomInt } from "node:crypto";
import { type Clock, ForbiddenError, systemClock } from "@certplane/domain";
import {
  type DnsEndpoint,
  type DnsProtocol,
  exchangeTcp,
  exchangeUdp,
  formatEndpoint,
  parseNameserver,
} from "./transport.ts";
import { signMessage, type TsigKey, verifyResponse } from "./tsig.ts";
import { updateErrorFor } from "./update-rejected-error.ts";
import { absoluteName, decodeMessage, encodeUpdate, type UpdateOperation } from "./wire.ts";

export interface Rfc2136ClientOptions {
  /** `host[:port]`, port 53 by default. */
  readonly nameserver: string;
  /** Without a key the update goes unsigned; servers normally refuse that. */
  readonly tsig?: TsigKey;
  /** UDP first (with one TCP retry when the answer is truncated or lost), or TCP only. */
  readonly protocol?: DnsProtocol;
  readonly timeoutMs?: number;
  readonly clock?: Clock;
}

const fudgeSeconds = 300;

/** Sends RFC 2136 UPDATE messages, signed with TSIG when a key is given, and checks the signed answer. */
export class Rfc2136Client {
  readonly endpoint: DnsEndpoint;
  private readonly options: Rfc2136ClientOptions;

  constructor(options: Rfc2136ClientOptions) {
    this.endpoint = parseNameserver(options.nameserver);
    this.options = options;
  }

  async update(zone: string, operations: readonly UpdateOperation[]): Promise<void> {
    const { tsig } = this.options;
    const clock = this.options.clock ?? systemClock;
    const unsigned = encodeUpdate({ id: randomInt(0, 0x10000), zone, operations });
    const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
    const signed = tsig ? signMessage(unsigned, tsig, nowSeconds(), fudgeSeconds) : undefined;
    const raw = await this.exchange(signed?.message ?? unsigned);
    const response = decodeMessage(raw);
    const context = { zone: absoluteName(zone), server: formatEndpoint(this.endpoint), keyName: tsig?.name };
    // A refusal may come back unsigned (the server could not verify us), so the rcode is read first.
    const failure = updateErrorFor(response, context);
    if (failure) throw failure;
    if (!tsig || !signed) return;
    const verdict = verifyResponse(raw, response, tsig, signed.mac, nowSeconds());
    if (verdict !== "valid") {
      throw new ForbiddenError(
        `DNS UPDATE of zone ${context.zone} at ${context.server} reported success, but the answer failed ` +
          `TSIG verification (${verdict}) with key ${tsig.name}; the update may or may not have been applied`,
      );
    }
  }

  private async exchange(message: Buffer): Promise<Buffer> {
    const timeoutMs = this.options.timeoutMs ?? 5000;
    if ((this.options.protocol ?? "UDP") === "UDP") {
      const reply = await exchangeUdp(this.endpoint, message, timeoutMs);
      if (reply.kind === "reply" && !decodeMessage(reply.message).truncated) return reply.message;
    }
    return await exchangeTcp(this.endpoint, message, timeoutMs);
  }
}

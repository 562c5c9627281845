import { type CertplaneError, type ErrorCode, isCertplaneError, UnavailableError } from "@certplane/domain";
import { injectTraceContext } from "@certplane/telemetry";
import {
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  headers as natsHeaders,
  type Subscription,
} from "@nats-io/transport-node";
import { answerRequest, deliverMessage, readReply, type WireMessage } from "./dispatch.ts";
import { InFlight } from "./in-flight.ts";
import { encodePayload } from "./json-codec.ts";
import { connectNats, type NatsConnectionSettings } from "./nats-connection.ts";
import { translateNatsError } from "./nats-errors.ts";
import type {
  CommandBus,
  HandleOptions,
  HandlerErrorListener,
  InboundRequest,
  MessageHeaders,
  Registration,
  RequestOptions,
} from "./port.ts";
import { DEFAULT_RECONNECT_BACKOFF, type ReconnectBackoff, reconnectDelayMs } from "./reconnect-backoff.ts";
import { requestTimeoutMs } from "./request-timeout.ts";
import { assertPublishSubject, assertSubscribeSubject } from "./subject.ts";

/** Marks a reply whose body is an `ErrorPayload`; its value is the error code, for humans reading traffic. */
const ERROR_HEADER = "Certplane-Error";

export interface NatsCommandBusOptions {
  readonly onHandlerError: HandlerErrorListener;
}

export interface NatsConnectOptions extends NatsCommandBusOptions {
  readonly servers: string | readonly string[];
  /** Shown by the server's monitoring, e.g. `issuer-acme-7f9c`. */
  readonly name: string;
  /** Credentials, TLS files and inbox prefix; none for a server that needs none. */
  readonly connection?: NatsConnectionSettings;
  readonly reconnectBackoff?: ReconnectBackoff;
  /** Told when the connection is lost and when it is back, for readiness and the reconnect count. */
  readonly onStatus?: (status: "disconnected" | "reconnected") => void;
}

/** The command bus over core NATS: request/reply with queue groups, pub/sub, headers, JSON bodies. */
export class NatsCommandBus implements CommandBus {
  private readonly registrations = new Set<Registration>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly ownsConnection: boolean,
    private readonly options: NatsCommandBusOptions,
  ) {}

  /** Connects and keeps reconnecting for as long as the bus is open. */
  static async connect(options: NatsConnectOptions): Promise<NatsCommandBus> {
    const backoff = options.reconnectBackoff ?? DEFAULT_RECONNECT_BACKOFF;
    const outage = { since: undefined as number | undefined };
    const nc = await connectNats(options.connection ?? {}, {
      servers: [options.servers].flat(),
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectDelayHandler: () => {
        outage.since ??= Date.now();
        return reconnectDelayMs(Date.now() - outage.since, backoff, Math.random());
      },
    });
    outage.since = undefined;
    void trackOutages(nc, outage, options.onStatus);
    return new NatsCommandBus(nc, true, options);
  }

  /** Uses a connection the caller owns; close() then drains only this bus's subscriptions. */
  static fromConnection(nc: NatsConnection, options: NatsCommandBusOptions): NatsCommandBus {
    return new NatsCommandBus(nc, false, options);
  }

  async request<TRequest, TReply>(
    subject: string,
    payload: TRequest,
    options: RequestOptions = {},
  ): Promise<TReply> {
    this.assertOpen(subject);
    assertPublishSubject(subject);
    const timeoutMs = requestTimeoutMs(options);
    let reply: Msg;
    try {
      reply = await this.nc.request(subject, encodePayload(payload), {
        timeout: timeoutMs,
        headers: toNatsHeaders(injectTraceContext(options.headers)),
      });
    } catch (error) {
      throw this.translate(error, subject, timeoutMs);
    }
    const errorCode = reply.headers?.get(ERROR_HEADER) || undefined;
    return readReply(subject, { data: reply.data, errorCode: errorCode as ErrorCode | undefined }) as TReply;
  }

  async handle<TRequest, TReply>(
    subject: string,
    handler: (request: InboundRequest<TRequest>) => Promise<TReply>,
    options: HandleOptions = {},
  ): Promise<Registration> {
    return await this.register(subject, options, async (msg) => {
      const reply = await answerRequest(handler, wireMessage(msg), this.options.onHandlerError);
      // A publish to a handler's subject has no reply subject; the result is then dropped, as in NATS.
      if (!msg.reply) return;
      const headers =
        reply.errorCode === undefined ? {} : { headers: toNatsHeaders({ [ERROR_HEADER]: reply.errorCode }) };
      msg.respond(reply.data, headers);
    });
  }

  async publish<TPayload>(subject: string, payload: TPayload, headers?: MessageHeaders): Promise<void> {
    this.assertOpen(subject);
    assertPublishSubject(subject);
    try {
      this.nc.publish(subject, encodePayload(payload), {
        headers: toNatsHeaders(injectTraceContext(headers)),
      });
    } catch (error) {
      throw this.translate(error, subject);
    }
  }

  async subscribe<TPayload>(
    subject: string,
    handler: (message: InboundRequest<TPayload>) => Promise<void>,
    options: HandleOptions = {},
  ): Promise<Registration> {
    return await this.register(subject, options, (msg) =>
      deliverMessage(handler, wireMessage(msg), this.options.onHandlerError),
    );
  }

  close(): Promise<void> {
    this.closing ??= this.drain();
    return this.closing;
  }

  private async drain(): Promise<void> {
    await Promise.all([...this.registrations].map((registration) => registration.stop()));
    if (this.ownsConnection && !this.nc.isClosed()) await this.nc.drain();
  }

  private async register(
    subject: string,
    options: HandleOptions,
    receive: (msg: Msg) => Promise<void>,
  ): Promise<Registration> {
    this.assertOpen(subject);
    assertSubscribeSubject(subject);
    const inFlight = new InFlight();
    let subscription: Subscription;
    try {
      subscription = this.nc.subscribe(subject, {
        ...(options.queue === undefined ? {} : { queue: options.queue }),
        callback: (error, msg) => {
          if (error) this.options.onHandlerError(this.translate(error, subject), subject);
          else inFlight.track(receive(msg).catch((e) => this.options.onHandlerError(e, subject)));
        },
      });
      // Once the server has the subscription, a request from any connection can reach it.
      await this.nc.flush();
    } catch (error) {
      throw this.translate(error, subject);
    }
    // The server answers a subscription its permissions refuse with an error before the flush's
    // PONG, and nats.js then closes it: refuse the registration rather than serve nothing.
    if (subscription.isClosed()) throw this.translate(await subscription.closed, subject);
    const registration: Registration = {
      stop: async () => {
        this.registrations.delete(registration);
        if (!subscription.isClosed()) await subscription.drain().catch(() => subscription.unsubscribe());
        await inFlight.settled();
      },
    };
    this.registrations.add(registration);
    return registration;
  }

  // A bus over a borrowed connection must refuse work after close() even though the connection lives on.
  private assertOpen(subject: string): void {
    if (this.closing) throw new UnavailableError(`command bus closed; cannot use ${subject}`);
  }

  private translate(error: unknown, subject: string, timeoutMs?: number): CertplaneError {
    if (isCertplaneError(error)) return error;
    return translateNatsError(error, subject, timeoutMs);
  }
}

async function trackOutages(
  nc: NatsConnection,
  outage: { since: number | undefined },
  onStatus: NatsConnectOptions["onStatus"],
): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === "disconnect") {
      outage.since = Date.now();
      onStatus?.("disconnected");
    }
    if (status.type === "reconnect") {
      outage.since = undefined;
      onStatus?.("reconnected");
    }
  }
}

function wireMessage(msg: Msg): WireMessage {
  return { subject: msg.subject, data: msg.data, headers: fromNatsHeaders(msg.headers) };
}

function toNatsHeaders(record: MessageHeaders): MsgHdrs {
  const result = natsHeaders();
  for (const [key, value] of Object.entries(record)) result.set(key, value);
  return result;
}

function fromNatsHeaders(headers: MsgHdrs | undefined): MessageHeaders {
  if (!headers) return {};
  return Object.fromEntries(headers.keys().map((key) => [key, headers.get(key)]));
}

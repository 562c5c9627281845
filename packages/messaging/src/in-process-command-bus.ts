import { NoRespondersError, TimeoutError, UnavailableError } from "@certplane/domain";
import { injectTraceContext } from "@certplane/telemetry";
import { answerRequest, deliverMessage, readReply, type WireMessage, type WireReply } from "./dispatch.ts";
import { InFlight } from "./in-flight.ts";
import type { BrokerSubscription, InProcessBroker } from "./in-process-broker.ts";
import { encodePayload } from "./json-codec.ts";
import type {
  CommandBus,
  HandleOptions,
  HandlerErrorListener,
  InboundRequest,
  MessageHeaders,
  Registration,
  RequestOptions,
} from "./port.ts";
import { requestTimeoutMs, timeoutMessage } from "./request-timeout.ts";
import { assertPublishSubject, assertSubscribeSubject } from "./subject.ts";

export interface InProcessCommandBusOptions {
  readonly onHandlerError: HandlerErrorListener;
}

/** The command bus for the embedded mode: NATS semantics without a server, one process. */
export class InProcessCommandBus implements CommandBus {
  private readonly registrations = new Set<Registration>();
  private readonly pendingRequests = new Set<(error: Error) => void>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly broker: InProcessBroker,
    private readonly options: InProcessCommandBusOptions,
  ) {}

  async request<TRequest, TReply>(
    subject: string,
    payload: TRequest,
    options: RequestOptions = {},
  ): Promise<TReply> {
    this.assertOpen(subject);
    assertPublishSubject(subject);
    const timeoutMs = requestTimeoutMs(options);
    const message = { subject, data: encodePayload(payload), headers: injectTraceContext(options.headers) };
    return await new Promise<TReply>((resolve, reject) => {
      const fail = (error: Error) => settle(() => reject(error));
      const settle = (finish: () => void) => {
        if (!this.pendingRequests.delete(fail)) return;
        clearTimeout(timer);
        finish();
      };
      const timer = setTimeout(() => fail(new TimeoutError(timeoutMessage(subject, timeoutMs))), timeoutMs);
      this.pendingRequests.add(fail);
      const receivers = this.broker.route(message, (reply: WireReply) =>
        settle(() => {
          try {
            resolve(readReply(subject, reply) as TReply);
          } catch (error) {
            reject(error);
          }
        }),
      );
      if (receivers === 0) fail(new NoRespondersError(subject));
    });
  }

  async handle<TRequest, TReply>(
    subject: string,
    handler: (request: InboundRequest<TRequest>) => Promise<TReply>,
    options: HandleOptions = {},
  ): Promise<Registration> {
    return this.register(subject, options, (message, inFlight, respond) =>
      inFlight.track(answerRequest(handler, message, this.options.onHandlerError).then(respond)),
    );
  }

  async publish<TPayload>(subject: string, payload: TPayload, headers?: MessageHeaders): Promise<void> {
    this.assertOpen(subject);
    assertPublishSubject(subject);
    this.broker.route({ subject, data: encodePayload(payload), headers: injectTraceContext(headers) });
  }

  async subscribe<TPayload>(
    subject: string,
    handler: (message: InboundRequest<TPayload>) => Promise<void>,
    options: HandleOptions = {},
  ): Promise<Registration> {
    return this.register(subject, options, (message, inFlight) =>
      inFlight.track(deliverMessage(handler, message, this.options.onHandlerError)),
    );
  }

  close(): Promise<void> {
    this.closing ??= this.drain();
    return this.closing;
  }

  private async drain(): Promise<void> {
    await Promise.all([...this.registrations].map((registration) => registration.stop()));
    for (const fail of [...this.pendingRequests]) fail(new UnavailableError("command bus closed"));
  }

  private register(
    subject: string,
    options: HandleOptions,
    receive: (message: WireMessage, inFlight: InFlight, respond: (reply: WireReply) => void) => void,
  ): Registration {
    this.assertOpen(subject);
    assertSubscribeSubject(subject);
    const inFlight = new InFlight();
    const subscription: BrokerSubscription = {
      pattern: subject,
      queue: options.queue,
      receive: (message, respond) => receive(message, inFlight, respond ?? (() => {})),
    };
    this.broker.add(subscription);
    const registration: Registration = {
      stop: async () => {
        this.broker.remove(subscription);
        this.registrations.delete(registration);
        await inFlight.settled();
      },
    };
    this.registrations.add(registration);
    return registration;
  }

  private assertOpen(subject: string): void {
    if (this.closing) throw new UnavailableError(`command bus closed; cannot use ${subject}`);
  }
}

import type { CommandBus, HandleOptions, InboundRequest, Registration, RequestOptions } from "./port.ts";

/**
 * A subject with its request and reply types, defined once (in `@certplane/api`) and shared by
 * caller and handler, so that a mismatch is a compile error rather than a runtime surprise.
 */
export interface Endpoint<TRequest, TReply> {
  readonly subject: string;
  /** Checks an inbound request on the handler's side and throws a `ValidationError` if it is wrong. */
  readonly validate: ((payload: unknown) => TRequest) | undefined;
  /** Type-only: never set, it keeps `TReply` part of the endpoint's type. */
  readonly replyType?: TReply;
}

export function defineEndpoint<TRequest, TReply>(
  subject: string,
  options: { validate?: (payload: unknown) => TRequest } = {},
): Endpoint<TRequest, TReply> {
  return Object.freeze({ subject, validate: options.validate });
}

export function call<TRequest, TReply>(
  bus: CommandBus,
  endpoint: Endpoint<TRequest, TReply>,
  payload: TRequest,
  options?: RequestOptions,
): Promise<TReply> {
  return bus.request<TRequest, TReply>(endpoint.subject, payload, options);
}

/** Registers `handler` for the endpoint; the payload it sees has passed `validate`, if one is defined. */
export function serve<TRequest, TReply>(
  bus: CommandBus,
  endpoint: Endpoint<TRequest, TReply>,
  handler: (request: InboundRequest<TRequest>) => Promise<TReply>,
  options?: HandleOptions,
): Promise<Registration> {
  const { validate } = endpoint;
  return bus.handle<unknown, TReply>(
    endpoint.subject,
    (request) =>
      handler(
        validate ? { ...request, payload: validate(request.payload) } : (request as InboundRequest<TRequest>),
      ),
    options,
  );
}

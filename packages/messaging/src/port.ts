/** Headers carried with every message: trace context and correlation, nothing secret. */
export type MessageHeaders = Readonly<Record<string, string>>;

/** Used when a request names no timeout: long enough for a signer round trip, short enough to surface a hang. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

export interface RequestOptions {
  readonly timeoutMs?: number;
  readonly headers?: MessageHeaders;
}

export interface InboundRequest<TPayload> {
  readonly subject: string;
  readonly payload: TPayload;
  readonly headers: MessageHeaders;
}

export interface HandleOptions {
  /** Instances in the same queue group share the work: each request goes to one of them. */
  readonly queue?: string;
}

export interface Registration {
  /** Stops new deliveries, then waits for the handler calls already running. */
  stop(): Promise<void>;
}

/**
 * Told about failures nobody else will see: a subscriber that threw, or a handler that threw
 * something other than a `CertplaneError` (the requester only gets a bare INTERNAL error).
 */
export type HandlerErrorListener = (error: unknown, subject: string) => void;

/**
 * The command bus port: typed request/reply and publish/subscribe. Handlers throw typed
 * `CertplaneError`s; the requester receives the same code, message and field path.
 */
export interface CommandBus {
  request<TRequest, TReply>(subject: string, payload: TRequest, options?: RequestOptions): Promise<TReply>;
  handle<TRequest, TReply>(
    subject: string,
    handler: (request: InboundRequest<TRequest>) => Promise<TReply>,
    options?: HandleOptions,
  ): Promise<Registration>;
  publish<TPayload>(subject: string, payload: TPayload, headers?: MessageHeaders): Promise<void>;
  subscribe<TPayload>(
    subject: string,
    handler: (message: InboundRequest<TPayload>) => Promise<void>,
    options?: HandleOptions,
  ): Promise<Registration>;
  /** Drains: stops all registrations, lets running handlers reply, then disconnects. Idempotent. */
  close(): Promise<void>;
}

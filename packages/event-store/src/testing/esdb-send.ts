import { once } from "node:events";
import type { ServerWritableStream } from "@grpc/grpc-js";

/**
 * Writes one response, waiting while the client is not reading (as the server's bounded channels
 * do), so a slow subscriber holds the server back instead of growing its buffers. Resolves early
 * once `stop` aborts.
 */
export async function send<Response>(
  call: ServerWritableStream<unknown, Response>,
  response: Response,
  stop: AbortSignal,
): Promise<void> {
  if (stop.aborted || call.write(response)) return;
  await once(call, "drain", { signal: stop }).catch(() => undefined);
}

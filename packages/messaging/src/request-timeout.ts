import { ValidationError } from "@certplane/domain";
import { DEFAULT_REQUEST_TIMEOUT_MS, type RequestOptions } from "./port.ts";

export function requestTimeoutMs(options: RequestOptions): number {
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw ValidationError.of("timeoutMs", "positiveInteger", `must be a positive integer, got ${timeoutMs}`);
  }
  return timeoutMs;
}

export function timeoutMessage(subject: string, timeoutMs: number): string {
  return `no reply on ${subject} within ${timeoutMs} ms`;
}

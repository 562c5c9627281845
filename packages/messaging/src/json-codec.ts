import { ValidationError } from "@certplane/domain";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** JSON on the wire, also in-process, so that sender and receiver never share an object. */
export function encodePayload(value: unknown): Uint8Array {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new ValidationError([{ field: "payload", rule: "json", message: "is not JSON-serialisable" }], {
      cause,
    });
  }
  return text === undefined ? new Uint8Array() : encoder.encode(text);
}

/** An empty body stands for `undefined`, e.g. the reply of a handler that returns nothing. */
export function decodePayload(data: Uint8Array): unknown {
  if (data.length === 0) return undefined;
  try {
    return JSON.parse(decoder.decode(data));
  } catch (cause) {
    throw new ValidationError([{ field: "payload", rule: "json", message: "is not valid JSON" }], { cause });
  }
}

import { type CertplaneError, ForbiddenError, TransientError } from "@certplane/domain";
import type { DecodedMessage, RcodeName } from "./wire.ts";
import { rcodeName } from "./wire.ts";

/** RFC 8945 §5.2 extended rcodes a server reports in the TSIG record of a NOTAUTH response. */
export type TsigErrorName = "BADSIG" | "BADKEY" | "BADTIME" | "BADTRUNC" | `TSIGERROR${number}`;

function tsigErrorName(error: number): TsigErrorName | undefined {
  if (error === 0) return undefined;
  const names: Record<number, TsigErrorName> = { 16: "BADSIG", 17: "BADKEY", 18: "BADTIME", 22: "BADTRUNC" };
  return names[error] ?? `TSIGERROR${error}`;
}

/** The server answered and said no; retrying the same update will not help until the configuration changes. */
export class DnsUpdateRejectedError extends ForbiddenError {
  readonly rcode: RcodeName | `RCODE${number}`;
  readonly tsigError: TsigErrorName | undefined;

  constructor(
    message: string,
    rcode: RcodeName | `RCODE${number}`,
    tsigError: TsigErrorName | undefined,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.rcode = rcode;
    this.tsigError = tsigError;
  }
}

export interface UpdateContext {
  readonly zone: string;
  readonly server: string;
  readonly keyName: string | undefined;
}

function reasonFor(rcode: string, tsigError: TsigErrorName | undefined, context: UpdateContext): string {
  const key = context.keyName === undefined ? "no TSIG key" : `TSIG key ${context.keyName}`;
  switch (tsigError ?? rcode) {
    case "BADSIG":
      return `the secret of ${key} does not match the server's`;
    case "BADKEY":
      return `the server does not know ${key} with that algorithm`;
    case "BADTIME":
      return "the clocks of certplane and the server differ by more than the TSIG fudge (300 s)";
    case "REFUSED":
      return `the server's update policy does not allow this change with ${key}`;
    case "NOTAUTH":
      return `the server is not authoritative for ${context.zone} or does not accept ${key}`;
    case "NOTZONE":
      return `the record name is not inside ${context.zone}`;
    default:
      return "see the server's log";
  }
}

/** Undefined for NOERROR; SERVFAIL is transient, every other rcode a rejection. */
export function updateErrorFor(response: DecodedMessage, context: UpdateContext): CertplaneError | undefined {
  const tsigError = tsigErrorName(response.tsig?.error ?? 0);
  if (response.rcode === 0 && tsigError === undefined) return undefined;
  const rcode = rcodeName(response.rcode);
  const status = tsigError === undefined ? rcode : `${rcode}/${tsigError}`;
  const message = `DNS UPDATE of zone ${context.zone} at ${context.server} failed with ${status}: ${reasonFor(rcode, tsigError, context)}`;
  if (rcode === "SERVFAIL") return new TransientError(message);
  return new DnsUpdateRejectedError(message, rcode, tsigError);
}

import { createHash } from "node:crypto";
import { canonicalJson } from "@certplane/domain/model";

function shortHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex").slice(0, 10);
}

/** cert-manager's `<request>-<hash of spec>`: the same request always names the same Order. */
export function orderNameFor(requestName: string, spec: unknown): string {
  return `${requestName}-${shortHash(spec)}`;
}

/** One Challenge per authorization and type. */
export function challengeNameFor(orderName: string, authorizationUrl: string, type: string): string {
  return `${orderName}-${shortHash({ authorizationUrl, type })}`;
}

/** The name an Order or Challenge name was made from: its request's or its Order's. */
export function nameWithoutHash(name: string): string {
  return name.slice(0, name.lastIndexOf("-"));
}

import type { RecordedEvent } from "@certplane/domain";
import { handleCertificateDeleted } from "./handlers/certificate-deleted.ts";
import {
  handleCertificateRequestFailed,
  requestFailureEvents,
} from "./handlers/certificate-request-failed.ts";
import { handleCertificateRequestIssued } from "./handlers/certificate-request-issued.ts";
import { handleIssuanceTriggered } from "./handlers/issuance-triggered.ts";
import { mirrorSecret } from "./handlers/secret-changed.ts";
import type { PublisherContext } from "./publisher-context.ts";
import type { SecretTarget } from "./secret-target.ts";

type Handler = (ctx: PublisherContext, event: RecordedEvent) => Promise<void>;

export interface PublisherReactor {
  /** Durable subscription name: the store keeps each reactor's checkpoint. */
  readonly name: string;
  readonly categories: readonly string[];
  readonly handlers: Readonly<Record<string, Handler>>;
}

/**
 * Certificate events (key + request manager, deletion), request outcomes (issuing), and secret
 * events (targets, only when there are any).
 */
export function publisherReactors(targets: readonly SecretTarget[]): PublisherReactor[] {
  const failed = Object.fromEntries(
    requestFailureEvents.map((type) => [type, handleCertificateRequestFailed]),
  );
  const mirror: Handler = (ctx, event) => mirrorSecret(ctx, event.stream);
  return [
    {
      name: "secret-publisher-certificates",
      categories: ["certificate"],
      handlers: { IssuanceTriggered: handleIssuanceTriggered, CertificateDeleted: handleCertificateDeleted },
    },
    {
      name: "secret-publisher-issuing",
      categories: ["certificateRequest"],
      handlers: { CertificateRequestIssued: handleCertificateRequestIssued, ...failed },
    },
    ...(targets.length === 0
      ? []
      : [
          {
            name: "secret-publisher-targets",
            categories: ["secret"],
            handlers: { SecretWritten: mirror, SecretDeleted: mirror },
          },
        ]),
  ];
}

export async function dispatch(
  ctx: PublisherContext,
  reactor: PublisherReactor,
  event: RecordedEvent,
): Promise<void> {
  const handler = reactor.handlers[event.type];
  if (handler) await handler(ctx, event);
}

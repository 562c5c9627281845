import type { RecordedEvent } from "@certplane/domain";
import { contextFromEvent } from "@certplane/runtime";
import { handleCertificateDeleted } from "./handlers/certificate-deleted.ts";
import {
  handleCertificateRequestFailed,
  requestFailureEvents,
} from "./handlers/certificate-request-failed.ts";
import { handleCertificateRequestIssued } from "./handlers/certificate-request-issued.ts";
import { handleIssuanceTriggered } from "./handlers/issuance-triggered.ts";
import { mirrorSecret } from "./handlers/secret-changed.ts";
import { recordIssuanceFailed } from "./issuing/record-failure.ts";
import type { PublisherContext } from "./publisher-context.ts";
import { loadRequestOfCertificate } from "./requests/request-certificate.ts";
import type { SecretTarget } from "./secrets/secret-target.ts";

type Handler = (ctx: PublisherContext, event: RecordedEvent) => Promise<void>;
type GiveUp = (ctx: PublisherContext, event: RecordedEvent, error: unknown) => Promise<void>;

export interface PublisherReactor {
  /** Durable subscription name: the store keeps each reactor's checkpoint. */
  readonly name: string;
  readonly categories: readonly string[];
  readonly handlers: Readonly<Record<string, Handler>>;
  /** Records why an event could not be handled on the issuance it belongs to. */
  readonly giveUp: GiveUp;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** An issuance step that keeps failing ends the issuance: the Certificate shows why and backs off. */
const failIssuance: GiveUp = async (ctx, event, error) => {
  const requestName = (event.data as { requestName?: unknown }).requestName;
  if (event.type !== "IssuanceTriggered" || typeof requestName !== "string") {
    ctx.logger.error("certificate event not handled", { stream: event.stream, type: event.type, error });
    return;
  }
  await recordIssuanceFailed(
    ctx,
    event.stream,
    { requestName, reason: "IssuanceError", message: `could not prepare the request: ${message(error)}` },
    contextFromEvent(event, ctx.actor),
  );
};

const failRequestIssuance: GiveUp = async (ctx, event, error) => {
  const found = await loadRequestOfCertificate(ctx, event.stream);
  if (found?.certificate.status !== "active") return;
  await recordIssuanceFailed(
    ctx,
    found.certificateStream,
    {
      requestName: found.requestName,
      reason: "PublishError",
      message: `could not publish the issued certificate: ${message(error)}`,
    },
    contextFromEvent(event, ctx.actor),
  );
};

/** Outside an issuance a target write has no issuance to fail; the next write of the secret mirrors it again. */
const reportMirrorFailure: GiveUp = async (ctx, event, error) => {
  ctx.logger.error("secret not mirrored to its targets", { stream: event.stream, error });
};

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
      categories: ["certificate", "certificateIssuance"],
      handlers: { IssuanceTriggered: handleIssuanceTriggered, CertificateDeleted: handleCertificateDeleted },
      giveUp: failIssuance,
    },
    {
      name: "secret-publisher-issuing",
      categories: ["certificateRequest"],
      handlers: { CertificateRequestIssued: handleCertificateRequestIssued, ...failed },
      giveUp: failRequestIssuance,
    },
    ...(targets.length === 0
      ? []
      : [
          {
            name: "secret-publisher-targets",
            categories: ["secret"],
            handlers: { SecretWritten: mirror, SecretDeleted: mirror },
            giveUp: reportMirrorFailure,
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

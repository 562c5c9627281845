import type { RecordedEvent } from "@certplane/domain";
import { certificateRequestDecider } from "@certplane/domain/model";
import { contextFromEvent } from "@certplane/runtime";
import { onCertificateRequestChanged } from "./handlers/certificate-request-changed.ts";
import { onIssuerApplied } from "./handlers/issuer-applied.ts";
import { onIssuerReadinessChanged } from "./handlers/issuer-readiness-changed.ts";
import { onSecretChanged } from "./handlers/secret-changed.ts";
import { recordReadiness } from "./readiness/issuer-readiness.ts";
import type { SignerContext } from "./signer-context.ts";

type Route = (ctx: SignerContext, event: RecordedEvent) => Promise<void>;

/** Issuer readiness: issuer specs and the secrets they read. */
export const readinessRoutes: Readonly<Record<string, Route>> = {
  IssuerApplied: onIssuerApplied,
  SecretWritten: onSecretChanged,
  SecretDeleted: onSecretChanged,
};

/** Signing: requests that may have become signable, and issuers that became Ready. */
export const signingRoutes: Readonly<Record<string, Route>> = {
  CertificateRequestCreated: onCertificateRequestChanged,
  CertificateRequestApproved: onCertificateRequestChanged,
  IssuerReadinessChanged: onIssuerReadinessChanged,
};

export function route(routes: Readonly<Record<string, Route>>, ctx: SignerContext) {
  return async (event: RecordedEvent): Promise<void> => {
    await routes[event.type]?.(ctx, event);
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A request the signer cannot process fails with the reason, so its Certificate backs off and says why. */
export async function failRequest(ctx: SignerContext, event: RecordedEvent, error: unknown): Promise<void> {
  if (!event.stream.startsWith("certificateRequest-")) {
    ctx.logger.error("issuer status event not handled", { stream: event.stream, error });
    return;
  }
  await ctx.runner.execute(
    event.stream,
    certificateRequestDecider,
    (_state, now) => ({
      type: "FailCertificateRequest" as const,
      reason: "SigningError",
      message: `The signer could not process this request: ${message(error)}`,
      now: now.toISOString(),
    }),
    contextFromEvent(event, ctx.actor),
  );
}

/** A readiness check that keeps failing makes the issuer not Ready, with the error as its message. */
export async function recordReadinessError(
  ctx: SignerContext,
  event: RecordedEvent,
  error: unknown,
): Promise<void> {
  if (event.type !== "IssuerApplied") {
    ctx.logger.error("issuer readiness not rechecked after a secret change", { stream: event.stream, error });
    return;
  }
  const { meta } = event.data as { meta: { generation: number } };
  await recordReadiness(
    ctx,
    event.stream,
    meta.generation,
    {
      status: "False",
      reason: "ErrorChecking",
      message: `The issuer could not be checked: ${message(error)}`,
    },
    event,
  );
}

import type { RecordedEvent } from "@certplane/domain";
import { onCertificateRequestChanged } from "./handlers/certificate-request-changed.ts";
import { onIssuerApplied } from "./handlers/issuer-applied.ts";
import { onIssuerReadinessChanged } from "./handlers/issuer-readiness-changed.ts";
import { onSecretChanged } from "./handlers/secret-changed.ts";
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

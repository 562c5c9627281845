import type { RecordedEvent } from "@certplane/domain";
import {
  type CertificateRequestCommand,
  certificateRequestDecider,
  type ExistingCertificateRequest,
  issuerDecider,
  issuerReadyCondition,
  issuerStreamFor,
  parseStreamName,
} from "@certplane/domain/model";
import { contextFromEvent } from "@certplane/runtime";
import { issuerViewOf, signerFor } from "../issuer-view.ts";
import type { SignOutcome } from "../signer.ts";
import type { SignerContext } from "../signer-context.ts";
import { decodeRequest } from "./request-decoding.ts";

const pending = (reason: string, message: string): SignOutcome => ({ kind: "pending", reason, message });

/**
 * cert-manager's pipeline for built-in issuers: only approved, unfinished requests for a
 * cert-manager.io Issuer or ClusterIssuer; issuer missing or not Ready → Pending; then sign.
 * Safe to run any number of times: the decider ignores anything for a request already final.
 */
export async function processRequest(
  ctx: SignerContext,
  requestStream: string,
  cause: RecordedEvent,
): Promise<void> {
  const { state } = await ctx.runner.load(requestStream, certificateRequestDecider);
  if (state.status !== "present" || state.phase !== "pending" || !state.approved || state.denied) return;
  const { issuerRef } = state.spec;
  const kind = issuerRef.kind || "Issuer";
  if (
    (issuerRef.group && issuerRef.group !== "cert-manager.io") ||
    (kind !== "Issuer" && kind !== "ClusterIssuer")
  ) {
    return;
  }
  const namespace = state.meta.namespace ?? parseStreamName(requestStream).namespace ?? "";
  const issuerStream = issuerStreamFor(namespace, issuerRef);
  // The open-request projection may lag behind this reactor; recording here means a later Ready
  // for this issuer finds the request.
  ctx.openRequests.open(requestStream, issuerStream);
  const outcome = await signingOutcome(ctx, state, namespace, issuerStream);
  if (outcome === undefined) return;
  const { events } = await ctx.runner.execute(
    requestStream,
    certificateRequestDecider,
    (_current, now) => commandFor(outcome, now.toISOString()),
    contextFromEvent(cause, ctx.actor),
  );
  if (outcome.kind !== "pending") ctx.openRequests.close(requestStream);
  if (events.length > 0) log(ctx, requestStream, outcome);
}

async function signingOutcome(
  ctx: SignerContext,
  request: ExistingCertificateRequest,
  namespace: string,
  issuerStream: string,
): Promise<SignOutcome | undefined> {
  const { issuerRef } = request.spec;
  const kind = issuerRef.kind || "Issuer";
  const { state: issuer } = await ctx.runner.load(issuerStream, issuerDecider);
  if (issuer.status !== "active") {
    return pending(
      "IssuerNotFound",
      `Referenced "${kind}" not found: ${kind.toLowerCase()}.cert-manager.io "${issuerRef.name}" not found`,
    );
  }
  const signer = signerFor(ctx.signers, issuer.spec);
  if (!signer) return undefined;
  if (issuerReadyCondition(issuer).status !== "True") {
    return pending("IssuerNotReady", "Referenced issuer does not have a Ready status condition");
  }
  const decoded = await decodeRequest(request.spec);
  if (!decoded.ok) return decoded.outcome;
  return await signer.sign({
    issuer: issuerViewOf(issuerStream, issuer, ctx.clusterResourceNamespace),
    namespace,
    name: request.meta.name,
    annotations: request.meta.annotations ?? {},
    csrPem: request.spec.request,
    durationMs: cappedDuration(decoded.durationMs, ctx.maxDurationMs),
    isCA: request.spec.isCA ?? false,
    usages: request.spec.usages,
    notBefore: ctx.runner.clock.now(),
  });
}

/** cert-manager's default lifetime when a request names none (90 days). */
const defaultDurationMs = 2160 * 3600 * 1000;

function cappedDuration(requestedMs: number | undefined, maxMs: number | undefined): number | undefined {
  if (maxMs === undefined) return requestedMs;
  return Math.min(requestedMs ?? defaultDurationMs, maxMs);
}

function commandFor(outcome: SignOutcome, now: string): CertificateRequestCommand {
  switch (outcome.kind) {
    case "issued":
      return {
        type: "IssueCertificateRequest",
        certificate: outcome.certificate,
        ca: outcome.ca,
        ...(outcome.warnings?.length ? { warnings: outcome.warnings } : {}),
        now,
      };
    case "pending":
      return { type: "MarkCertificateRequestPending", reason: outcome.reason, message: outcome.message, now };
    case "failed":
      return { type: "FailCertificateRequest", reason: outcome.reason, message: outcome.message, now };
    case "invalid":
      return { type: "MarkCertificateRequestInvalid", reason: outcome.reason, message: outcome.message, now };
  }
}

function log(ctx: SignerContext, request: string, outcome: SignOutcome): void {
  if (outcome.kind === "issued") ctx.logger.info("certificate request issued", { request });
  else if (outcome.kind === "pending")
    ctx.logger.debug("certificate request pending", {
      request,
      reason: outcome.reason,
      message: outcome.message,
    });
  else
    ctx.logger.warn(`certificate request ${outcome.kind}`, {
      request,
      reason: outcome.reason,
      message: outcome.message,
    });
}

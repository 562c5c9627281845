import type { RecordedEvent } from "@certplane/domain";
import type { CertificateRequestCommand, OrderCommand, OrderSpecFields } from "@certplane/domain/model";
import {
  certificateRequestDecider,
  issuerReadyCondition,
  orderDecider,
  streams,
} from "@certplane/domain/model";
import { parseCsr } from "@certplane/pki";
import { loadAcmeIssuer } from "../acme-issuer.ts";
import { orderNameFor } from "../orders/names.ts";
import { causedBy, type SolverContext } from "../solver-context.ts";

/**
 * An approved request for a Ready ACME issuer gets its Order (model §4 flow 1). The signer ignores
 * ACME issuers, so this is the only service that answers such a request. A request whose issuer
 * is missing or not Ready yet is looked at again when the issuer becomes Ready.
 */
export async function onCertificateRequestApproved(
  ctx: SolverContext,
  stream: string,
  cause: RecordedEvent | undefined,
): Promise<void> {
  const { state: request } = await ctx.runner.load(stream, certificateRequestDecider);
  if (request.status !== "present" || request.phase !== "pending" || !request.approved) return;
  const namespace = request.meta.namespace ?? "";
  const issuer = await loadAcmeIssuer(
    ctx.runner,
    namespace,
    request.spec.issuerRef,
    ctx.config.clusterResourceNamespace,
  );
  if (!issuer) return;
  const context = causedBy(ctx, cause);
  if (issuerReadyCondition(issuer.issuer).status !== "True") {
    // A missing issuer is reported by the signer, which owns the request and hears from us only
    // about ACME issuers that exist.
    const pending: CertificateRequestCommand = {
      type: "MarkCertificateRequestPending",
      reason: "Pending",
      message: "Referenced issuer does not have a Ready status condition",
      now: ctx.clock.now().toISOString(),
    };
    await ctx.commands.send(stream, pending, context);
    return;
  }
  const fail = async (message: string) => {
    const failed: CertificateRequestCommand = {
      type: "FailCertificateRequest",
      reason: "InvalidOrder",
      message,
      now: ctx.clock.now().toISOString(),
    };
    await ctx.commands.send(stream, failed, context);
  };
  let csr: ReturnType<typeof parseCsr>;
  try {
    csr = parseCsr(request.spec.request);
  } catch (error) {
    await fail(`Failed to decode CSR in spec.request: ${(error as Error).message}`);
    return;
  }
  const commonName = csr.subject.fields.commonName;
  const dnsNames = [...csr.sans.dnsNames];
  const ipAddresses = [...csr.sans.ipAddresses];
  if (commonName && !dnsNames.includes(commonName) && !ipAddresses.includes(commonName)) {
    await fail(`The CSR's common name "${commonName}" must also be one of its DNS names or IP addresses`);
    return;
  }
  if (dnsNames.length + ipAddresses.length === 0) {
    await fail("The CSR names no DNS names or IP addresses to order a certificate for");
    return;
  }
  const spec: OrderSpecFields = {
    request: request.spec.request,
    issuerRef: request.spec.issuerRef,
    ...(commonName ? { commonName } : {}),
    dnsNames,
    ipAddresses,
    // The one enableDurationFeature check: an Order's duration becomes its notAfter as is.
    ...(issuer.acme.enableDurationFeature && request.spec.duration
      ? { duration: request.spec.duration }
      : {}),
  };
  const name = orderNameFor(request.meta.name, spec);
  await ctx.runner.execute(
    streams.order(namespace, name),
    orderDecider,
    (state, now): OrderCommand | undefined =>
      state.status === "present"
        ? undefined
        : {
            type: "CreateOrder",
            meta: {
              namespace,
              name,
              requestName: request.meta.name,
              ...(request.meta.labels ? { labels: request.meta.labels } : {}),
            },
            spec,
            now: now.toISOString(),
          },
    context,
  );
}

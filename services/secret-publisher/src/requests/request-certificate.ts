import type { CertificateState, ExistingCertificateRequest } from "@certplane/domain/model";
import {
  certificateDecider,
  certificateRequestDecider,
  parseStreamName,
  requestAnnotations,
  streams,
} from "@certplane/domain/model";
import type { PublisherContext } from "../publisher-context.ts";

export interface RequestOfCertificate {
  readonly namespace: string;
  readonly requestName: string;
  readonly request: ExistingCertificateRequest;
  readonly certificateStream: string;
  readonly certificate: CertificateState;
}

/** The request in `requestStream` and the Certificate that created it; undefined for other requests. */
export async function loadRequestOfCertificate(
  ctx: PublisherContext,
  requestStream: string,
): Promise<RequestOfCertificate | undefined> {
  const { state: request } = await ctx.runner.load(requestStream, certificateRequestDecider);
  if (request.status === "absent") return undefined;
  const certificateName = request.meta.annotations?.[requestAnnotations.certificateName];
  if (certificateName === undefined) return undefined;
  const namespace = parseStreamName(requestStream).namespace ?? "";
  const certificateStream = streams.certificate(namespace, certificateName);
  const { state: certificate } = await ctx.runner.load(certificateStream, certificateDecider);
  return { namespace, requestName: request.meta.name, request, certificateStream, certificate };
}

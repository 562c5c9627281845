import type { HistoryResponse } from "@certplane/api";
import { certificateDecider, streams } from "@certplane/domain/model";
import type { IntakeContext } from "../intake-context.ts";
import { notFound } from "../kinds.ts";

/** Every issuance attempt of a Certificate, oldest first, and how each ended. */
export async function history(
  context: IntakeContext,
  request: { readonly name: string; readonly namespace: string },
): Promise<HistoryResponse> {
  const stream = streams.certificate(request.namespace || "default", request.name);
  const { state } = await context.runner.load(stream, certificateDecider);
  if (state.status !== "active") throw notFound("Certificate", request.name);
  return { revisions: state.history.map((record) => ({ ...record })) };
}

// cert-manager's revisionmanager: once a revision is issued, CertificateRequests beyond
// spec.revisionHistoryLimit (default 1) are deleted, oldest first. Deletion is an event on the
// request's stream, so listings hide the request while the history keeps every one of them.
import type { RecordedEvent } from "@certplane/domain";
import type { CertificateRequestCommand, RevisionRecord } from "@certplane/domain/model";
import {
  certificateDecider,
  certificateRequestDecider,
  parseStreamName,
  streams,
} from "@certplane/domain/model";
import type { ServiceHandles } from "@certplane/runtime";
import { contextFromEvent } from "@certplane/runtime";

/** Finished requests older than the newest `limit` ones; pending requests are never trimmed. */
export function requestsToTrim(history: readonly RevisionRecord[], limit: number): string[] {
  const finished = history.filter((record) => record.outcome !== "pending");
  return finished.slice(0, Math.max(0, finished.length - limit)).map((record) => record.requestName);
}

export async function handleCertificateIssued(handles: ServiceHandles, event: RecordedEvent): Promise<void> {
  const { namespace } = parseStreamName(event.stream);
  if (namespace === undefined) return;
  const { state } = await handles.runner.load(event.stream, certificateDecider);
  if (state.status !== "active") return;
  const limit = Math.max(1, state.spec.revisionHistoryLimit ?? 1);
  const context = contextFromEvent(event, handles.actor);
  for (const requestName of requestsToTrim(state.history, limit)) {
    // The signer owns requests: it is asked to delete the ones still listed.
    const stream = streams.certificateRequest(namespace, requestName);
    const { state: request } = await handles.runner.load(stream, certificateRequestDecider);
    if (request.status !== "present") continue;
    const command: CertificateRequestCommand = {
      type: "DeleteCertificateRequest",
      now: handles.runner.clock.now().toISOString(),
    };
    await handles.commands.send(stream, command, context);
  }
}

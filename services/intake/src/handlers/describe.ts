import type { DescribeResponse, ObjectRef, ResourceObject } from "@certplane/api";
import type { RecordedEvent } from "@certplane/domain";
import { requestAnnotations, streams } from "@certplane/domain/model";
import type { IntakeContext } from "../intake-context.ts";
import { namespaceFor, notFound, requireKnownKind, streamOf } from "../kinds.ts";
import { timeline } from "../read/event-history.ts";
import { certificateRequestObject } from "../read/resource-objects.ts";
import { isStoredKind, storedKinds } from "../read/stored-kinds.ts";

/** A Certificate's requests, oldest revision first, found by the annotation cert-manager sets on them. */
function requestsOfCertificate(context: IntakeContext, namespace: string, name: string): ResourceObject[] {
  const revision = (item: ResourceObject) =>
    Number(item.metadata.annotations?.[requestAnnotations.certificateRevision] ?? 0);
  return [...context.readModel.requests.entries()]
    .flatMap(([, state]) =>
      state.status === "present" &&
      state.meta.namespace === namespace &&
      state.meta.annotations?.[requestAnnotations.certificateName] === name
        ? [certificateRequestObject(state)]
        : [],
    )
    .sort((a, b) => revision(a) - revision(b) || a.metadata.name.localeCompare(b.metadata.name));
}

export async function describe(context: IntakeContext, ref: ObjectRef): Promise<DescribeResponse> {
  const kind = requireKnownKind(ref.kind);
  if (!isStoredKind(kind)) throw notFound(kind, ref.name);
  const namespace = namespaceFor(kind, ref.namespace);
  const object = await storedKinds[kind].read(context.runner, ref.name, namespace, context.clock.now());
  if (!object) throw notFound(kind, ref.name);

  const related = kind === "Certificate" ? requestsOfCertificate(context, namespace!, ref.name) : [];
  const relatedStreams = related.map((item) =>
    streams.certificateRequest(item.metadata.namespace!, item.metadata.name),
  );
  const reads = await Promise.all(
    [streamOf(kind, ref.name, namespace), ...relatedStreams].map((stream) => context.store.read(stream)),
  );
  const events: RecordedEvent[] = reads.flatMap((read) => read.events);
  return { object, related, events: timeline(events) };
}

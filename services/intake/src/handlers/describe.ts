import type { DescribeResponse, ObjectRef } from "@certplane/api";
import type { RecordedEvent } from "@certplane/domain";
import { objectStreamsOf } from "@certplane/domain/model";
import type { IntakeContext } from "../intake-context.ts";
import { namespaceFor, notFound, requireKnownKind, streamOf } from "../kinds.ts";
import { timeline } from "../read/event-history.ts";
import { pointInTime } from "../read/point-in-time.ts";
import { relatedTo } from "../read/related-objects.ts";
import { isStoredKind, storedKinds } from "../read/stored-kinds.ts";

export async function describe(context: IntakeContext, ref: ObjectRef): Promise<DescribeResponse> {
  const kind = requireKnownKind(ref.kind);
  if (!isStoredKind(kind)) throw notFound(kind, ref.name);
  const namespace = namespaceFor(kind, ref.namespace);
  // At a past instant the object, its related objects and its events are those recorded by then.
  const past =
    ref.at === undefined ? undefined : await pointInTime(context.store, ref.at, context.clock.now());
  const readModel = past?.readModel ?? context.readModel;
  const object = past
    ? storedKinds[kind].find(readModel, ref.name, namespace, past.now)
    : await storedKinds[kind].read(context.runner, readModel, ref.name, namespace, context.clock.now());
  if (!object) throw notFound(kind, ref.name);

  const related = relatedTo(readModel, kind, ref.name, namespace);
  const reads = await Promise.all(
    [streamOf(kind, ref.name, namespace), ...related.childStreams]
      .flatMap((stream) => objectStreamsOf(stream))
      .map((stream) => context.store.read(stream)),
  );
  const recordedBy = (event: RecordedEvent) =>
    past === undefined || new Date(event.recordedAt).getTime() <= past.now.getTime();
  const events = reads.flatMap((read) => read.events).filter(recordedBy);
  return { object, related: related.objects, events: timeline(events) };
}

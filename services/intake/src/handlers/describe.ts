import type { DescribeResponse, ObjectRef } from "@certplane/api";
import { objectStreamsOf } from "@certplane/domain/model";
import type { IntakeContext } from "../intake-context.ts";
import { namespaceFor, notFound, requireKnownKind, streamOf } from "../kinds.ts";
import { timeline } from "../read/event-history.ts";
import { relatedTo } from "../read/related-objects.ts";
import { isStoredKind, storedKinds } from "../read/stored-kinds.ts";

export async function describe(context: IntakeContext, ref: ObjectRef): Promise<DescribeResponse> {
  const kind = requireKnownKind(ref.kind);
  if (!isStoredKind(kind)) throw notFound(kind, ref.name);
  const namespace = namespaceFor(kind, ref.namespace);
  const object = await storedKinds[kind].read(
    context.runner,
    context.readModel,
    ref.name,
    namespace,
    context.clock.now(),
  );
  if (!object) throw notFound(kind, ref.name);

  const related = relatedTo(context.readModel, kind, ref.name, namespace);
  const reads = await Promise.all(
    [streamOf(kind, ref.name, namespace), ...related.childStreams]
      .flatMap((stream) => objectStreamsOf(stream))
      .map((stream) => context.store.read(stream)),
  );
  return { object, related: related.objects, events: timeline(reads.flatMap((read) => read.events)) };
}

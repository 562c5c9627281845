import type { HistoryRecord, HistoryRequest, HistoryResponse, ResourceKind } from "@certplane/api";
import type { RecordedEvent } from "@certplane/domain";
import { ValidationError } from "@certplane/domain";
import { certificateDecider, objectStreamsOf } from "@certplane/domain/model";
import { comparePositions } from "@certplane/event-store";
import type { IntakeContext } from "../intake-context.ts";
import { namespaceFor, notFound, requireKnownKind, streamOf } from "../kinds.ts";
import { historyEntry, objectOfStream } from "../read/event-history.ts";
import type { IndexedEvent } from "../read/event-index.ts";
import { isStoredKind } from "../read/stored-kinds.ts";

/**
 * Every event of one object, from all its streams, in store order, each with who did it, which
 * service wrote it and what it followed. A deleted object keeps its history; an object that never
 * had an event is NotFound.
 */
export async function history(context: IntakeContext, request: HistoryRequest): Promise<HistoryResponse> {
  const kind = historyKind(request.kind ?? "Certificate");
  if (request.related === true && kind !== "Certificate") {
    throw ValidationError.of(
      "related",
      "certificateOnly",
      `--related follows a Certificate to what was issued for it; ${kind} has no related timeline`,
    );
  }
  const namespace = namespaceFor(kind, request.namespace);
  const stream = streamOf(kind, request.name, namespace);
  const index = context.readModel.events;
  const streamsNow = () =>
    request.related === true ? index.relatedStreams(stream) : objectStreamsOf(stream);
  const { afterPosition } = request;
  const waitMs = Math.min(Math.max(request.waitMs ?? 0, 0), maxWaitMs);
  if (afterPosition === undefined || waitMs === 0)
    return await answer(context, request, kind, stream, streamsNow());
  // A long-poll: listen first, then read, so an event appended in between still ends the wait.
  const arrival = index.nextEvent((event) => streamsNow().includes(event.stream), waitMs);
  const now = await answer(context, request, kind, stream, streamsNow());
  if (now.events.length > 0) {
    arrival.cancel();
    return now;
  }
  await arrival.done;
  return await answer(context, request, kind, stream, streamsNow());
}

/** Under the API clients' 10 s deadline, so a long-poll answers before the call times out. */
const maxWaitMs = 8_000;

async function answer(
  context: IntakeContext,
  request: HistoryRequest,
  kind: ResourceKind,
  stream: string,
  names: readonly string[],
): Promise<HistoryResponse> {
  const own = objectStreamsOf(stream);
  const reads = await Promise.all(
    names.map(async (name) => ({ name, read: await context.store.read(name) })),
  );
  if (reads.every(({ name, read }) => !own.includes(name) || read.events.length === 0)) {
    throw notFound(kind, request.name);
  }
  const { afterPosition } = request;
  const events = reads
    .flatMap(({ read }) => read.events)
    .filter((event) => afterPosition === undefined || comparePositions(event.position, afterPosition) > 0)
    .sort((a, b) => comparePositions(a.position, b.position));
  // The index trails the store by a moment: the events just read name their own causes first.
  const read = new Map<string, IndexedEvent>(events.map((e) => [e.id, { stream: e.stream, type: e.type }]));
  const causeOf = (id: string) => read.get(id) ?? context.readModel.events.event(id);
  const selected =
    request.correlationId === undefined
      ? events
      : events.filter((event) => event.metadata.correlationId === request.correlationId);

  const revisions =
    kind === "Certificate"
      ? (await context.runner.load(stream, certificateDecider)).state.history.map((record) => ({ ...record }))
      : [];
  return {
    revisions,
    events: selected.map((event) => historyRecord(event, causeOf(event.metadata.causationId))),
  };
}

function historyKind(requested: string): ResourceKind {
  const kind = requireKnownKind(requested);
  if (isStoredKind(kind)) return kind;
  throw ValidationError.of("kind", "notStored", `${kind} is not stored, so it has no history`);
}

export function historyRecord(event: RecordedEvent, cause: IndexedEvent | undefined): HistoryRecord {
  const { metadata } = event;
  return {
    ...historyEntry(event),
    id: event.id,
    stream: event.stream,
    version: String(event.version),
    position: event.position,
    recordedAt: event.recordedAt,
    actor: metadata.actor,
    ...(metadata.producer === undefined ? {} : { producer: metadata.producer }),
    ...(metadata.instance === undefined ? {} : { instance: metadata.instance }),
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    ...(cause === undefined ? {} : { causeObject: objectOfStream(cause.stream), causeEvent: cause.type }),
    ...(metadata.traceparent === undefined ? {} : { traceparent: metadata.traceparent }),
    ...(metadata.command === undefined ? {} : { command: { ...metadata.command } }),
  };
}

import type { HistoryRecord, HistoryRequest, RevisionEntry } from "@certplane/api";
import { type Command, type CommandContext, rejectExtraWords, requireWord, usageError } from "../command.ts";
import { renderDocument } from "../format/document.ts";
import { formatTable, withoutHeader } from "../format/table.ts";
import { type KindInfo, resolveKind } from "../kinds.ts";

const usage =
  "certctl history TYPE NAME [-n NAMESPACE] [--related] [--correlation ID] [--follow] [--revisions] [-o wide|json|yaml]";

/** How long each `--follow` call lets the server wait for the next event (it caps this itself). */
const followWaitMs = 5_000;
const outputs = ["wide", "json", "yaml"] as const;
type Output = (typeof outputs)[number] | "table";

const historyKinds = [
  "Certificate",
  "CertificateRequest",
  "Order",
  "Challenge",
  "Issuer",
  "ClusterIssuer",
  "Secret",
  "SecretTarget",
] as const;

export const historyCommand: Command = {
  name: "history",
  usage,
  flags: ["namespace", "output", "related", "correlation", "revisions", "follow"],
  async run(context) {
    const info = resolveKind(context.words[0], historyKinds);
    const name = requireWord(context, 1, "NAME", usage);
    rejectExtraWords(context, 2, usage);
    const output = readOutput(context.flags.output);
    if (context.flags.related === true && info.kind !== "Certificate") {
      throw usageError(`--related follows a Certificate to what was issued for it, not a ${info.kind}`);
    }
    if (context.flags.revisions === true && info.kind !== "Certificate") {
      throw usageError(`--revisions lists a Certificate's issuances, not a ${info.kind}'s`);
    }
    const correlationId = context.flags.correlation;
    if (correlationId !== undefined && correlationId.trim() === "") {
      throw usageError("--correlation needs a correlation id, e.g. --correlation 3f1e…");
    }
    const request: HistoryRequest = {
      kind: info.kind,
      name,
      namespace: context.namespace,
      ...(context.flags.related === true ? { related: true } : {}),
      ...(correlationId === undefined ? {} : { correlationId }),
    };
    if (
      context.flags.follow === true &&
      (context.flags.revisions === true || output === "json" || output === "yaml")
    ) {
      throw usageError(
        "--follow prints events as they come, as a table: it takes neither --revisions nor -o json|yaml",
      );
    }
    const api = await context.api();
    const response = await api.history(request);
    if (context.flags.revisions === true) return printRevisions(context, name, response.revisions);
    if (context.flags.follow !== true) return printEvents(context, info, name, output, response.events);

    // Each call asks for what came after the last event seen; the server holds it until one comes.
    const { signal } = context.io;
    // Positions are decimal integers or pairs of them, so "0" is before every event.
    let last = response.events.at(-1)?.position ?? "0";
    let header = true;
    const print = (events: readonly HistoryRecord[]) => {
      if (events.length === 0) return;
      context.io.stdout.write(eventTable(context, output, events, header));
      header = false;
      last = events.at(-1)?.position ?? last;
    };
    print(response.events);
    while (signal?.aborted !== true) {
      print((await api.history({ ...request, afterPosition: last, waitMs: followWaitMs })).events);
    }
    return 0;
  },
};

function readOutput(value: string | undefined): Output {
  if (value === undefined) return "table";
  if ((outputs as readonly string[]).includes(value)) return value as Output;
  throw usageError(`unknown output format "${value}" for -o; accepted: ${outputs.join(", ")}`);
}

function printEvents(
  context: CommandContext,
  info: KindInfo,
  name: string,
  output: Output,
  events: readonly HistoryRecord[],
): number {
  if (output === "json" || output === "yaml") {
    context.io.stdout.write(renderDocument(output, { events }));
    return 0;
  }
  if (events.length === 0) {
    const object = info.namespaced ? `${context.namespace}/${name}` : name;
    context.io.stderr.write(`No events found for ${info.kind} ${object}.\n`);
    return 0;
  }
  context.io.stdout.write(eventTable(context, output, events, true));
  return 0;
}

function eventTable(
  context: CommandContext,
  output: Output,
  events: readonly HistoryRecord[],
  withHeader: boolean,
): string {
  const wide = output === "wide";
  const showObject = context.flags.related === true || wide;
  const header = [
    "TIME",
    ...(showObject ? ["OBJECT"] : []),
    "EVENT",
    "REASON",
    "ACTOR",
    "PRODUCER",
    "CAUSE",
    ...(wide ? ["TRACE", "CORRELATION"] : []),
    "MESSAGE",
  ];
  const rows = events.map((event) => [
    event.time,
    ...(showObject ? [event.object] : []),
    event.event,
    event.reason || "-",
    event.actor,
    event.producer ?? "-",
    causeOf(event),
    ...(wide ? [traceId(event.traceparent), event.correlationId] : []),
    event.message || "-",
  ]);
  const table = formatTable(header, rows);
  return withHeader ? table : withoutHeader(table);
}

/** `IssuanceTriggered of Certificate demo-apps/x`, or the bare id when the cause is an API call. */
function causeOf(event: HistoryRecord): string {
  if (event.causeObject === undefined) {
    return event.causationId === event.correlationId ? `api call ${event.causationId}` : event.causationId;
  }
  return `${event.causeEvent ?? "event"} of ${event.causeObject}`;
}

/** The trace id of a W3C traceparent (`00-<trace id>-<span id>-<flags>`). */
function traceId(traceparent: string | undefined): string {
  return traceparent?.split("-")[1] ?? "-";
}

function printRevisions(context: CommandContext, name: string, revisions: readonly RevisionEntry[]): number {
  if (revisions.length === 0) {
    context.io.stderr.write(`No revisions found for certificate ${context.namespace}/${name}.\n`);
    return 0;
  }
  context.io.stdout.write(
    formatTable(
      ["REVISION", "REQUEST", "TRIGGER", "OUTCOME", "SERIAL", "NOT BEFORE", "NOT AFTER"],
      revisions.map((r) => [
        String(r.revision),
        r.requestName,
        r.trigger,
        r.outcome,
        r.serialNumber ?? "-",
        r.notBefore ?? "-",
        r.notAfter ?? "-",
      ]),
    ),
  );
  return 0;
}

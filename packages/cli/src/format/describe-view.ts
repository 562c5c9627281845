import type { DescribeResponse, HistoryEntry, ResourceObject } from "@certplane/api";
import { challengeSummary, orderSummary } from "./acme-summary.ts";
import { conditionOf, conditionsOf, summarizeCondition } from "./conditions.ts";
import { indent, indentedYaml } from "./indent.ts";
import { issuanceChainSection } from "./issuance-chain.ts";
import { formatTable } from "./table.ts";

const label = (name: string) => `${name}:`.padEnd(14);

function keyValues(values: Readonly<Record<string, string>> | undefined): string {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return "<none>";
  return entries.map(([key, value], i) => `${i === 0 ? "" : " ".repeat(14)}${key}=${value}`).join("\n");
}

/** kubectl-describe layout: metadata, Spec and Status as indented YAML, tables for conditions and events. */
export function describeView(response: DescribeResponse): string {
  const { object } = response;
  return [
    `${label("Name")}${object.metadata.name}\n`,
    object.metadata.namespace === undefined ? "" : `${label("Namespace")}${object.metadata.namespace}\n`,
    `${label("Labels")}${keyValues(object.metadata.labels)}\n`,
    `${label("Annotations")}${keyValues(object.metadata.annotations)}\n`,
    `${label("API Version")}${object.apiVersion}\n`,
    `${label("Kind")}${object.kind}\n`,
    object.metadata.creationTimestamp === undefined
      ? ""
      : `${label("Created")}${object.metadata.creationTimestamp}\n`,
    "Spec:\n",
    indentedYaml(object.spec, 2),
    "Status:\n",
    statusSection(object),
    ...(object.kind === "Certificate"
      ? [
          relatedSection(response.related.filter((o) => o.kind === "CertificateRequest")),
          issuanceChainSection(response),
        ]
      : [relatedSection(response.related)]),
    eventsSection(response.events),
  ].join("");
}

function statusSection(object: ResourceObject): string {
  const status = (object.status ?? {}) as Record<string, unknown>;
  const { conditions: _conditions, publications, ...rest } = status;
  const table = conditionsTable(object, "conditions" in status);
  if (table === "" && Object.keys(rest).length === 0 && publications === undefined) return "  <none>\n";
  const fields = Object.keys(rest).length === 0 ? "" : indentedYaml(rest, 2);
  return `${table}${fields}${backoffLine(rest)}${publicationsTable(publications)}`;
}

interface PublicationLine {
  readonly target: string;
  readonly revision?: number;
  readonly upToDate?: boolean;
  readonly copies?: readonly { readonly location: string; readonly namespace: string }[];
  readonly lastError?: { readonly message: string; readonly retryAt?: string };
}

/** Every SecretTarget that receives the Certificate, the revision it holds, and its last error. */
function publicationsTable(publications: unknown): string {
  if (!Array.isArray(publications) || publications.length === 0) return "";
  return `  Publications:\n${indent(
    formatTable(
      ["Target", "Revision", "Current", "Where", "Last Error"],
      (publications as PublicationLine[]).map((p) => [
        p.target,
        p.revision === undefined ? "-" : String(p.revision),
        p.upToDate ? "yes" : "no",
        (p.copies ?? []).map((c) => `${c.location} ${c.namespace}`).join(", ") || "-",
        p.lastError === undefined
          ? ""
          : `${p.lastError.message}${p.lastError.retryAt ? ` (retrying at ${p.lastError.retryAt})` : ""}`,
      ]),
    ),
    4,
  )}`;
}

// Orders and Challenges have no conditions at all, which is not the same as none yet.
function conditionsTable(object: ResourceObject, hasConditions: boolean): string {
  if (!hasConditions) return "";
  const conditions = conditionsOf(object);
  if (conditions.length === 0) return "  Conditions:  <none>\n";
  return `  Conditions:\n${indent(
    formatTable(
      ["Type", "Status", "Reason", "Message", "Last Transition"],
      conditions.map((c) => [c.type, c.status, c.reason ?? "", c.message ?? "", c.lastTransitionTime ?? ""]),
    ),
    4,
  )}`;
}

/** A Certificate backing off after failures says when it tries again, as the issue asks. */
function backoffLine(status: Record<string, unknown>): string {
  const next = status.nextAttemptTime;
  if (typeof next !== "string") return "";
  const attempts = typeof status.failedIssuanceAttempts === "number" ? status.failedIssuanceAttempts : 0;
  return `  Backing off: ${attempts} failed issuance attempt${attempts === 1 ? "" : "s"}; next attempt at ${next}\n`;
}

function relatedSummary(object: ResourceObject): string {
  if (object.kind === "Order") return orderSummary(object);
  if (object.kind === "Challenge") return challengeSummary(object);
  return summarizeCondition("Ready", conditionOf(object, "Ready"));
}

function relatedSection(related: readonly ResourceObject[]): string {
  if (related.length === 0) return "";
  const byKind = new Map<string, ResourceObject[]>();
  for (const object of related) byKind.set(object.kind, [...(byKind.get(object.kind) ?? []), object]);
  return [...byKind]
    .map(
      ([kind, objects]) =>
        `Related ${kind}s:\n${objects.map((o) => `  ${o.metadata.name}   ${relatedSummary(o)}\n`).join("")}`,
    )
    .join("");
}

/** kubectl's Events table; `depth` nests it under a section, as `status certificate` does. */
export function eventsSection(events: readonly HistoryEntry[], depth = 0): string {
  const pad = " ".repeat(depth * 2);
  if (events.length === 0) return `${pad}Events:  <none>\n`;
  return `${pad}Events:\n${indent(
    formatTable(
      ["TIME", "OBJECT", "EVENT", "REASON", "MESSAGE"],
      events.map((e) => [e.time, e.object, e.event, e.reason, e.message]),
    ),
    depth * 2 + 2,
  )}`;
}

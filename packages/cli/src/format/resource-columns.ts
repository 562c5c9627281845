import type { ResourceKind, ResourceObject } from "@certplane/api";
import { ageSince } from "./age.ts";
import { conditionOf } from "./conditions.ts";

export interface Column {
  readonly header: string;
  /** Shown only with `-o wide`. */
  readonly wide?: boolean;
  value(object: ResourceObject, now: Date): string;
}

const field = (object: ResourceObject, ...path: string[]): string => {
  let value: unknown = object;
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
};

const name: Column = { header: "NAME", value: (o) => o.metadata.name };
const age: Column = { header: "AGE", value: (o, now) => ageSince(o.metadata.creationTimestamp, now) };
const conditionStatus = (header: string, type: string): Column => ({
  header,
  value: (o) => conditionOf(o, type)?.status ?? "",
});
const readyMessage: Column = {
  header: "STATUS",
  wide: true,
  value: (o) => conditionOf(o, "Ready")?.message ?? "",
};
/** `2/2`: how many of the targets that receive the Certificate hold its current Secret. */
function publishedCount(object: ResourceObject): string {
  const publications = (object.status as { publications?: { upToDate?: boolean }[] } | undefined)
    ?.publications;
  if (publications === undefined || publications.length === 0) return "-";
  return `${publications.filter((p) => p.upToDate).length}/${publications.length}`;
}
const issuer: Column = { header: "ISSUER", value: (o) => field(o, "spec", "issuerRef", "name") };
const state: Column = { header: "STATE", value: (o) => field(o, "status", "state") };

// Print columns as cert-manager's CRDs declare them (additionalPrinterColumns, priority 1 = wide).
const columnsByKind: Readonly<Record<ResourceKind, readonly Column[]>> = {
  Certificate: [
    name,
    conditionStatus("READY", "Ready"),
    { header: "SECRET", value: (o) => field(o, "spec", "secretName") },
    issuer,
    readyMessage,
    { header: "EXPIRATION", wide: true, value: (o) => field(o, "status", "notAfter") },
    { header: "PUBLISHED", wide: true, value: publishedCount },
    age,
  ],
  Issuer: [name, conditionStatus("READY", "Ready"), readyMessage, age],
  ClusterIssuer: [name, conditionStatus("READY", "Ready"), readyMessage, age],
  CertificateRequest: [
    name,
    conditionStatus("APPROVED", "Approved"),
    conditionStatus("DENIED", "Denied"),
    conditionStatus("READY", "Ready"),
    issuer,
    { header: "REQUESTOR", value: (o) => field(o, "spec", "username") || "-" },
    readyMessage,
    age,
  ],
  Secret: [
    name,
    { header: "TYPE", value: (o) => o.type ?? "Opaque" },
    { header: "DATA", value: (o) => String(Object.keys(o.data ?? {}).length) },
    age,
  ],
  Order: [name, state, { header: "REASON", wide: true, value: (o) => field(o, "status", "reason") }, age],
  Challenge: [
    name,
    state,
    { header: "DOMAIN", value: (o) => field(o, "spec", "dnsName") },
    { header: "REASON", wide: true, value: (o) => field(o, "status", "reason") },
    age,
  ],
  Namespace: [name, age],
  // Never listed: certplane stores the Certificates an Ingress implies, not the Ingress.
  Ingress: [name],
  SecretTarget: [
    name,
    conditionStatus("READY", "Ready"),
    { header: "PUBLISHED", value: (o) => field(o, "status", "published") },
    { header: "FAILING", value: (o) => field(o, "status", "failing") },
    readyMessage,
    age,
  ],
};

const namespaceColumn: Column = { header: "NAMESPACE", value: (o) => o.metadata.namespace ?? "" };

export function columnsFor(kind: ResourceKind, options: { wide: boolean; allNamespaces: boolean }): Column[] {
  const columns = columnsByKind[kind].filter((column) => options.wide || !column.wide);
  return options.allNamespaces ? [namespaceColumn, ...columns] : columns;
}

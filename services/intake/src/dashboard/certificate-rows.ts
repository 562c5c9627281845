// What the dashboard shows of a Certificate object, read from the API's rendering of it.
import type { ResourceObject } from "@certplane/api";
import type { CertificateHealth, TimelineRow } from "./expiry-timeline.ts";

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

interface CertificateStatusView {
  readonly conditions?: readonly Condition[];
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly renewalTime?: string;
  readonly revision?: number;
}

export interface CertificateRow extends TimelineRow {
  readonly issuer: string;
  readonly secretName: string;
  readonly revision?: number;
  readonly readyReason: string;
  readonly readyMessage: string;
}

export function conditionOf(object: ResourceObject, type: string): Condition | undefined {
  return ((object.status as CertificateStatusView | undefined)?.conditions ?? []).find(
    (c) => c.type === type,
  );
}

function healthOf(object: ResourceObject): CertificateHealth {
  const ready = conditionOf(object, "Ready");
  const issuing = conditionOf(object, "Issuing");
  if (ready?.reason === "Expired") return "expired";
  if (ready?.status === "True") return issuing?.status === "True" ? "renewing" : "ready";
  if (ready?.reason === "DoesNotExist" && issuing?.status === "True") return "pending";
  return "failing";
}

export function certificateRow(object: ResourceObject): CertificateRow {
  const status = (object.status ?? {}) as CertificateStatusView;
  const spec = (object.spec ?? {}) as { issuerRef?: { name?: string; kind?: string }; secretName?: string };
  const ready = conditionOf(object, "Ready");
  return {
    namespace: object.metadata.namespace ?? "",
    name: object.metadata.name,
    health: healthOf(object),
    ...(status.notBefore ? { notBefore: status.notBefore } : {}),
    ...(status.notAfter ? { notAfter: status.notAfter } : {}),
    ...(status.renewalTime ? { renewalTime: status.renewalTime } : {}),
    ...(status.revision === undefined ? {} : { revision: status.revision }),
    issuer: `${spec.issuerRef?.kind ?? "Issuer"}/${spec.issuerRef?.name ?? ""}`,
    secretName: spec.secretName ?? "",
    readyReason: ready?.reason ?? "",
    readyMessage: ready?.message ?? "",
  };
}

/** A case-insensitive match of every word of `query` against name, namespace, issuer or secret. */
export function matchesSearch(row: CertificateRow, query: string): boolean {
  const haystack = `${row.namespace}/${row.name} ${row.issuer} ${row.secretName}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== "")
    .every((word) => haystack.includes(word));
}

/** Soonest expiry first; certificates not yet issued last. */
export function byExpiry(a: CertificateRow, b: CertificateRow): number {
  const at = (row: CertificateRow) => (row.notAfter ? Date.parse(row.notAfter) : Number.POSITIVE_INFINITY);
  return at(a) - at(b) || `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`);
}

import type { DescribeResponse, HistoryEntry, InspectSecretResponse, ResourceObject } from "@certplane/api";
import { acmeSpec, acmeStatus, identifierOf, reasonOf, record, stateOf } from "./acme-summary.ts";
import { conditionsOf } from "./conditions.ts";
import { eventsSection } from "./describe-view.ts";

/** A part of the status that could not be read is shown as the reason, as cmctl does. */
export type Read<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string };

/** Everything `status certificate` shows, gathered before anything is printed. */
export interface CertificateStatusInput {
  readonly certificate: DescribeResponse;
  readonly issuer: { readonly kind: string; readonly name: string; readonly read: Read<DescribeResponse> };
  readonly secret: { readonly name: string; readonly read: Read<InspectSecretResponse> };
}

const text = (value: unknown, fallback = "<none>") => (typeof value === "string" ? value : fallback);
const list = (values: readonly string[]) => (values.length === 0 ? "<none>" : values.join(", "));

/** cmctl's `status certificate` layout: the Certificate, then what it depends on, top to bottom. */
export function certificateStatusView(input: CertificateStatusInput): string {
  const { object, related, events } = input.certificate;
  const spec = record(object.spec);
  const status = record(object.status);
  const dnsNames = Array.isArray(spec.dnsNames) ? (spec.dnsNames as string[]) : [];
  const request = related.filter((o) => o.kind === "CertificateRequest").at(-1);
  // Intake relates only the current request's Order and Challenges, so these are that request's.
  const order = related.filter((o) => o.kind === "Order").at(-1);
  const challenges = related.filter((o) => o.kind === "Challenge");
  return [
    `Name: ${object.metadata.name}\n`,
    `Namespace: ${object.metadata.namespace ?? ""}\n`,
    `Created at: ${object.metadata.creationTimestamp ?? "<unknown>"}\n`,
    `Conditions:\n${conditionLines(object, 1)}`,
    `DNS Names:\n${dnsNames.map((name) => `- ${name}\n`).join("")}`,
    eventsSection(eventsOf(events, object.kind, object.metadata), 0),
    issuerSection(input.issuer),
    secretSection(input.secret, events, object.metadata.namespace ?? ""),
    `Not Before: ${text(status.notBefore)}\n`,
    `Not After: ${text(status.notAfter)}\n`,
    `Renewal Time: ${text(status.renewalTime)}\n`,
    request === undefined
      ? "No CertificateRequest found for this Certificate\n"
      : requestSection(request, events),
    order === undefined ? "" : orderSection(order),
    challenges.length === 0
      ? ""
      : `Challenges:\n${challenges.map((c) => `- ${challengeLine(c)}\n`).join("")}`,
  ].join("");
}

function conditionLines(object: ResourceObject, depth: number): string {
  const pad = " ".repeat(depth * 2);
  const conditions = conditionsOf(object);
  if (conditions.length === 0) return `${pad}No Conditions set\n`;
  return conditions
    .map((c) => `${pad}${c.type}: ${c.status}, Reason: ${c.reason ?? ""}, Message: ${c.message ?? ""}\n`)
    .join("");
}

/** The events of one object among a describe's timeline, named as intake names objects. */
function eventsOf(
  events: readonly HistoryEntry[],
  kind: string,
  { name, namespace }: { readonly name: string; readonly namespace?: string | undefined },
): readonly HistoryEntry[] {
  const label = `${kind} ${namespace === undefined ? name : `${namespace}/${name}`}`;
  return events.filter((event) => event.object === label);
}

function issuerSection(issuer: CertificateStatusInput["issuer"]): string {
  if (!issuer.read.ok) return `error when finding ${issuer.kind} "${issuer.name}": ${issuer.read.message}\n`;
  const { object, events } = issuer.read.value;
  return [
    "Issuer:\n",
    `  Name: ${object.metadata.name}\n`,
    `  Kind: ${object.kind}\n`,
    `  Conditions:\n${conditionLines(object, 2)}`,
    eventsSection(eventsOf(events, object.kind, object.metadata), 1),
  ].join("");
}

function secretSection(
  secret: CertificateStatusInput["secret"],
  events: readonly HistoryEntry[],
  namespace: string,
): string {
  if (!secret.read.ok) return `error when finding Secret "${secret.name}": ${secret.read.message}\n`;
  const inspected = secret.read.value;
  const leaf = inspected.chain[0];
  if (leaf === undefined) return `error: 'tls.crt' of Secret "${secret.name}" is not set\n`;
  return [
    "Secret:\n",
    `  Name: ${inspected.name}\n`,
    `  Issuer: ${leaf.issuer}\n`,
    `  Subject: ${leaf.subject}\n`,
    `  Key Usage: ${list(leaf.keyUsages)}\n`,
    `  Extended Key Usages: ${list(leaf.extKeyUsages)}\n`,
    `  Public Key Algorithm: ${leaf.keyAlgorithm} ${leaf.keySize}\n`,
    `  Signature Algorithm: ${leaf.signatureAlgorithm}\n`,
    `  Serial Number: ${leaf.serialNumber}\n`,
    `  Private Key: ${inspected.hasPrivateKey ? "present" : "missing"}\n`,
    eventsSection(eventsOf(events, "Secret", { name: secret.name, namespace }), 1),
  ].join("");
}

function requestSection(request: ResourceObject, events: readonly HistoryEntry[]): string {
  return [
    "CertificateRequest:\n",
    `  Name: ${request.metadata.name}\n`,
    `  Namespace: ${request.metadata.namespace ?? ""}\n`,
    `  Conditions:\n${conditionLines(request, 2)}`,
    eventsSection(eventsOf(events, request.kind, request.metadata), 1),
  ].join("");
}

function orderSection(order: ResourceObject): string {
  const authorizations = acmeStatus(order).authorizations;
  const lines = (Array.isArray(authorizations) ? authorizations : []).map((value) => {
    const authorization = record(value);
    return (
      `    URL: ${text(authorization.url, "")}, Identifier: ${identifierOf(authorization, "identifier")}, ` +
      `Initial State: ${text(authorization.initialState, "")}, Wildcard: ${authorization.wildcard === true}\n`
    );
  });
  return [
    "Order:\n",
    `  Name: ${order.metadata.name}\n`,
    `  State: ${stateOf(order)}, Reason: ${reasonOf(order)}\n`,
    lines.length === 0 ? "  No Authorizations for this Order\n" : `  Authorizations:\n${lines.join("")}`,
  ].join("");
}

// The token and key authorization cmctl also prints are left out: output never carries tokens.
function challengeLine(challenge: ResourceObject): string {
  const spec = acmeSpec(challenge);
  const status = acmeStatus(challenge);
  return (
    `Name: ${challenge.metadata.name}, Type: ${text(spec.type, "")}, DNS Name: ${identifierOf(spec, "dnsName")}, ` +
    `State: ${stateOf(challenge)}, Reason: ${reasonOf(challenge)}, ` +
    `Processing: ${status.processing === true}, Presented: ${status.presented === true}`
  );
}

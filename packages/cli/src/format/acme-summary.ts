import type { ResourceObject } from "@certplane/api";

// Orders and Challenges have no conditions; their `status.state` and `status.reason` say it all.

export const record = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
const text = (value: unknown) => (typeof value === "string" ? value : "");

export const acmeStatus = (object: ResourceObject) => record(object.status);
export const acmeSpec = (object: ResourceObject) => record(object.spec);

/** cert-manager leaves `state` empty until the ACME server has been asked. */
export const stateOf = (object: ResourceObject) => text(acmeStatus(object).state) || "<none>";
export const reasonOf = (object: ResourceObject) => text(acmeStatus(object).reason);
export const urlOf = (object: ResourceObject) => text(acmeStatus(object).url);

/** `*.example.com` for a wildcard identifier, as the Certificate named it. */
export function identifierOf(
  value: Readonly<Record<string, unknown>>,
  key: "dnsName" | "identifier",
): string {
  return `${value.wildcard === true ? "*." : ""}${text(value[key])}`;
}

/** `state invalid: Failed to finalize Order: 403 unauthorized: …` */
export function orderSummary(order: ResourceObject): string {
  const reason = reasonOf(order);
  return `state ${stateOf(order)}${reason ? `: ${reason}` : ""}`;
}

/** `HTTP-01 example.com, state invalid, presented true, reason: …` */
export function challengeSummary(challenge: ResourceObject): string {
  const spec = acmeSpec(challenge);
  const reason = reasonOf(challenge);
  return [
    `${text(spec.type)} ${identifierOf(spec, "dnsName")}`,
    `state ${stateOf(challenge)}`,
    `presented ${acmeStatus(challenge).presented === true}`,
    ...(reason ? [`reason: ${reason}`] : []),
  ].join(", ");
}

export function authorizationLines(order: ResourceObject): string[] {
  const authorizations = acmeStatus(order).authorizations;
  if (!Array.isArray(authorizations)) return [];
  return authorizations.map((value) => {
    const authorization = record(value);
    return `${identifierOf(authorization, "identifier")} (${text(authorization.initialState)})`;
  });
}

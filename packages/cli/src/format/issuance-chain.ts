import type { DescribeResponse, ResourceObject } from "@certplane/api";
import { authorizationLines, challengeSummary, reasonOf, stateOf, urlOf } from "./acme-summary.ts";
import { conditionOf, summarizeCondition } from "./conditions.ts";

const line = (depth: number, name: string, value: string) =>
  `${" ".repeat(depth * 2)}${`${name}:`.padEnd(22 - depth * 2)}${value}\n`;

const ofKind = (related: readonly ResourceObject[], kind: string) => related.filter((o) => o.kind === kind);

function orderLines(order: ResourceObject): string {
  const reason = reasonOf(order);
  const url = urlOf(order);
  const authorizations = authorizationLines(order);
  return [
    line(1, "Order", order.metadata.name),
    line(2, "State", stateOf(order)),
    url ? line(2, "URL", url) : "",
    reason ? line(2, "Reason", reason) : "",
    authorizations.length === 0
      ? ""
      : `    Authorizations:\n${authorizations.map((a) => `      - ${a}\n`).join("")}`,
  ].join("");
}

/**
 * What cmctl status walks for a Certificate: its current (newest) CertificateRequest, that
 * request's Order and the Order's Challenges, so a stuck issuance shows where it is stuck.
 * Intake sends only the current request's Order and Challenges among the related objects.
 */
export function issuanceChainSection(response: DescribeResponse): string {
  const request = ofKind(response.related, "CertificateRequest").at(-1);
  if (request === undefined) return "";
  const order = ofKind(response.related, "Order").at(-1);
  const challenges = ofKind(response.related, "Challenge");
  return [
    "Issuance Chain:\n",
    line(1, "Certificate", response.object.metadata.name),
    line(2, "Condition", summarizeCondition("Ready", conditionOf(response.object, "Ready"))),
    line(1, "CertificateRequest", request.metadata.name),
    line(2, "Condition", summarizeCondition("Ready", conditionOf(request, "Ready"))),
    order === undefined ? "" : orderLines(order),
    challenges.length === 0
      ? ""
      : `  Challenges:\n${challenges.map((c) => `    - ${c.metadata.name}: ${challengeSummary(c)}\n`).join("")}`,
  ].join("");
}

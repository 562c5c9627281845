// An object's events as `describe` lists them, with the reason and message cert-manager would
// show for the same step.
import type { HistoryEntry } from "@certplane/api";
import type { RecordedEvent } from "@certplane/domain";
import type { OrderAuthorization } from "@certplane/domain/model";
import { issuedMessage, parseStreamName } from "@certplane/domain/model";
import { describeObject, kindOfCategory } from "../kinds.ts";

type Data = Readonly<Record<string, unknown>>;
type Explanation = { readonly reason: string; readonly message: string };

const text = (value: unknown) => (typeof value === "string" ? value : "");
const fromData = (data: Data): Explanation => ({ reason: text(data.reason), message: text(data.message) });
const applied = (data: Data): Explanation => ({
  reason: "Applied",
  message: `Applied, generation ${(data.meta as { generation?: number } | undefined)?.generation ?? 1}`,
});

// The failure reason already ends with the server's problem (`403 unauthorized: …`, see describeProblem).
const acmeFailure = (kind: string) => (data: Data) => ({
  reason: "Failed",
  message: `${kind} ${text(data.state)}: ${text(data.reason)}`,
});
const authorizationList = (data: Data) =>
  ((data.authorizations ?? []) as OrderAuthorization[])
    .map((a) => `${a.wildcard ? "*." : ""}${a.identifier} (${a.initialState})`)
    .join(", ");

const explanations: Readonly<Record<string, (data: Data, object: string) => Explanation>> = {
  CertificateApplied: applied,
  CertificateDeleted: () => ({ reason: "Deleted", message: "Certificate deleted" }),
  IssuanceTriggered: fromData,
  CertificateIssued: () => ({ reason: "Issued", message: "The certificate has been successfully issued" }),
  IssuanceFailed: fromData,
  RenewalScheduled: (data) =>
    data.renewalTime
      ? {
          reason: data.windowError ? "WindowError" : "Renewing",
          message: `Renewal scheduled for ${text(data.renewalTime)}${data.windowError ? ` (${text(data.windowError)})` : ""}`,
        }
      : {
          reason: "RenewalDisabled",
          message: "Automatic renewal is disabled (spec.renewal.policy: Disabled)",
        },
  IssuanceRetryScheduled: (data) => ({
    reason: "Backoff",
    message: `Issuance of ${text(data.requestName)} failed; next attempt at ${text(data.at)}`,
  }),
  CertificateRequestCreated: (_data, object) => ({
    reason: "Requested",
    message: `Created new CertificateRequest resource "${object.slice(object.lastIndexOf("/") + 1)}"`,
  }),
  CertificateRequestApproved: fromData,
  CertificateRequestDenied: fromData,
  CertificateRequestPending: fromData,
  CertificateRequestMarkedInvalid: fromData,
  CertificateRequestFailed: fromData,
  CertificateRequestIssued: (data) => ({
    reason: "Issued",
    message: issuedMessage(
      Array.isArray(data.warnings) ? data.warnings.filter((w) => typeof w === "string") : undefined,
    ),
  }),
  CertificateRequestDeleted: () => ({ reason: "Deleted", message: "CertificateRequest deleted" }),
  IssuerApplied: applied,
  IssuerReadinessChanged: (data) => ({
    reason: text(data.reason),
    message: `Ready=${text(data.status)}: ${text(data.message)}`,
  }),
  IssuerDeleted: () => ({ reason: "Deleted", message: "Issuer deleted" }),
  OrderCreated: (data) => ({
    reason: "Created",
    message: `Order created for CertificateRequest "${text((data.meta as Data | undefined)?.requestName)}"`,
  }),
  OrderPlaced: (data) => ({
    reason: "Placed",
    message: `Order placed with the ACME server at ${text(data.url)}, state ${text(data.state)}`,
  }),
  OrderAuthorizationsFetched: (data) => ({
    reason: "Authorizations",
    message: `Authorizations fetched: ${authorizationList(data)}`,
  }),
  OrderFinalized: (data) => ({ reason: "Finalized", message: `Order finalized, state ${text(data.state)}` }),
  OrderCertificateDownloaded: () => ({ reason: "Complete", message: "Order completed successfully" }),
  OrderFailed: acmeFailure("Order"),
  ChallengeCreated: (data) => {
    const spec = (data.spec ?? {}) as Data;
    const domain = `${spec.wildcard === true ? "*." : ""}${text(spec.dnsName)}`;
    return { reason: "Created", message: `Created ${text(spec.type)} challenge for domain "${domain}"` };
  },
  ChallengePresented: () => ({ reason: "Presented", message: "Presented challenge using the solver" }),
  ChallengeSelfCheckPassed: () => ({
    reason: "SelfCheckPassed",
    message: "Self check found the challenge response in place",
  }),
  ChallengeAccepted: () => ({
    reason: "Accepted",
    message: "Challenge accepted by the ACME server; waiting for authorization",
  }),
  ChallengeValidated: () => ({ reason: "DomainVerified", message: "Successfully authorized domain" }),
  ChallengeFailed: acmeFailure("Challenge"),
  ChallengeCleanedUp: () => ({ reason: "CleanedUp", message: "Cleaned up challenge resources" }),
  SecretWritten: (data) => ({ reason: "Written", message: `Secret written (type ${text(data.type)})` }),
  SecretDeleted: (data) => ({ reason: "Deleted", message: `Secret deleted: ${text(data.reason)}` }),
};

export function objectOfStream(stream: string): string {
  const ref = parseStreamName(stream);
  return describeObject(kindOfCategory(ref.category) ?? ref.category, ref.name, ref.namespace);
}

export function historyEntry(event: RecordedEvent): HistoryEntry {
  const object = objectOfStream(event.stream);
  const explain = explanations[event.type];
  const { reason, message } = explain
    ? explain((event.data ?? {}) as Data, object)
    : { reason: event.type, message: "" };
  return { time: event.metadata.occurredAt, object, event: event.type, reason, message };
}

/** Several streams' events as one timeline, oldest first; the sort is stable, so ties keep stream order. */
export function timeline(events: readonly RecordedEvent[]): HistoryEntry[] {
  return events.map(historyEntry).sort((a, b) => a.time.localeCompare(b.time));
}

// The owner table: which service appends each stream category and each event type, and which
// commands each owner answers for the others. ARCHITECTURE.md shows the same table; a test keeps
// the two equal, the store handle of each service refuses appends outside it, and the command
// sender refuses a command the table does not list.
import type { CertificateEvent } from "./model/certificate/events.ts";
import type { CertificateRequestEvent } from "./model/certificate-request/events.ts";
import type { ChallengeEvent } from "./model/challenge/events.ts";
import type { IssuerEvent } from "./model/issuer/events.ts";
import type { OrderEvent } from "./model/order/events.ts";
import type { PublicationEvent } from "./model/publication/publication.ts";
import type { SecretEvent } from "./model/secret/events.ts";
import type { SecretTargetEvent } from "./model/secret-target/secret-target.ts";
import type { StreamCategory } from "./model/streams.ts";

export const services = ["intake", "signer", "acme-solver", "renewal-scheduler", "secret-publisher"] as const;

export type ServiceName = (typeof services)[number];

export type DomainEventType =
  | CertificateEvent["type"]
  | CertificateRequestEvent["type"]
  | IssuerEvent["type"]
  | SecretEvent["type"]
  | OrderEvent["type"]
  | ChallengeEvent["type"]
  | SecretTargetEvent["type"]
  | PublicationEvent["type"];

/** Each category's one writer. */
export const categoryOwners: Readonly<Record<StreamCategory, ServiceName>> = {
  certificate: "intake",
  issuer: "intake",
  clusterIssuer: "intake",
  certificateIssuance: "renewal-scheduler",
  certificateRequest: "signer",
  issuerStatus: "signer",
  clusterIssuerStatus: "signer",
  secret: "secret-publisher",
  order: "acme-solver",
  challenge: "acme-solver",
  secretTarget: "intake",
  secretTargetStatus: "secret-publisher",
  publication: "secret-publisher",
};

/** The categories each event type may be appended to; the type system makes the list complete. */
export const eventCategories: Readonly<Record<DomainEventType, readonly StreamCategory[]>> = {
  CertificateApplied: ["certificate"],
  CertificateDeleted: ["certificate"],
  IssuanceTriggered: ["certificateIssuance"],
  CertificateIssued: ["certificateIssuance"],
  IssuanceFailed: ["certificateIssuance"],
  RenewalScheduled: ["certificateIssuance"],
  IssuanceRetryScheduled: ["certificateIssuance"],
  CertificateRequestCreated: ["certificateRequest"],
  CertificateRequestApproved: ["certificateRequest"],
  CertificateRequestDenied: ["certificateRequest"],
  CertificateRequestPending: ["certificateRequest"],
  CertificateRequestMarkedInvalid: ["certificateRequest"],
  CertificateRequestFailed: ["certificateRequest"],
  CertificateRequestIssued: ["certificateRequest"],
  CertificateRequestDeleted: ["certificateRequest"],
  IssuerApplied: ["issuer", "clusterIssuer"],
  IssuerDeleted: ["issuer", "clusterIssuer"],
  IssuerReadinessChanged: ["issuerStatus", "clusterIssuerStatus"],
  IssuerAcmeAccountRegistered: ["issuerStatus", "clusterIssuerStatus"],
  SecretWritten: ["secret"],
  SecretDeleted: ["secret"],
  OrderCreated: ["order"],
  OrderPlaced: ["order"],
  OrderAuthorizationsFetched: ["order"],
  OrderFinalized: ["order"],
  OrderCertificateDownloaded: ["order"],
  OrderFailed: ["order"],
  ChallengeCreated: ["challenge"],
  ChallengePresented: ["challenge"],
  ChallengeSelfCheckPassed: ["challenge"],
  ChallengeAccepted: ["challenge"],
  ChallengeValidated: ["challenge"],
  ChallengeFailed: ["challenge"],
  ChallengeCleanedUp: ["challenge"],
  SecretTargetApplied: ["secretTarget"],
  SecretTargetDeleted: ["secretTarget"],
  SecretTargetReadinessChanged: ["secretTargetStatus"],
  SecretPublished: ["publication"],
  SecretPublicationFailed: ["publication"],
  SecretUnpublished: ["publication"],
};

/** A command one service sends another, because the stream it changes is not its own. */
export interface OwnerCommandRoute {
  readonly command: string;
  readonly category: StreamCategory;
  readonly senders: readonly ServiceName[];
}

export const ownerCommandRoutes: readonly OwnerCommandRoute[] = [
  { command: "TriggerIssuance", category: "certificateIssuance", senders: ["intake"] },
  { command: "RecordIssued", category: "certificateIssuance", senders: ["secret-publisher"] },
  { command: "RecordIssuanceFailed", category: "certificateIssuance", senders: ["secret-publisher"] },
  {
    command: "CreateCertificateRequest",
    category: "certificateRequest",
    senders: ["intake", "secret-publisher"],
  },
  { command: "ApproveCertificateRequest", category: "certificateRequest", senders: ["intake"] },
  { command: "DenyCertificateRequest", category: "certificateRequest", senders: ["intake"] },
  {
    command: "DeleteCertificateRequest",
    category: "certificateRequest",
    senders: ["intake", "renewal-scheduler"],
  },
  { command: "MarkCertificateRequestPending", category: "certificateRequest", senders: ["acme-solver"] },
  { command: "FailCertificateRequest", category: "certificateRequest", senders: ["acme-solver", "intake"] },
  { command: "IssueCertificateRequest", category: "certificateRequest", senders: ["acme-solver"] },
  { command: "SetIssuerReadiness", category: "issuerStatus", senders: ["acme-solver"] },
  { command: "SetIssuerReadiness", category: "clusterIssuerStatus", senders: ["acme-solver"] },
  { command: "RecordAcmeAccount", category: "issuerStatus", senders: ["acme-solver"] },
  { command: "RecordAcmeAccount", category: "clusterIssuerStatus", senders: ["acme-solver"] },
  { command: "WriteSecret", category: "secret", senders: ["intake", "acme-solver"] },
  { command: "DeleteSecret", category: "secret", senders: ["intake"] },
];

/** The NATS subject of an owner command: the owner serves `certplane.cmd.<category>.>`. */
export function ownerCommandSubject(category: StreamCategory, command: string): string {
  return `certplane.cmd.${category}.${command}`;
}

export function categoriesOwnedBy(service: ServiceName): StreamCategory[] {
  return (Object.keys(categoryOwners) as StreamCategory[]).filter((c) => categoryOwners[c] === service);
}

export function ownerCommandRoute(category: StreamCategory, command: string): OwnerCommandRoute | undefined {
  return ownerCommandRoutes.find((route) => route.category === category && route.command === command);
}

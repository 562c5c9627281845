import type { ApiCaller } from "./caller.ts";
// The certplane API: one set of operations, served by intake over gRPC and over NATS request
// subjects, and called by certctl and by users' programs through either client.

/** A resource as the API shows it: Kubernetes-shaped JSON with status filled in at read time. */
export interface ResourceObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly generation?: number;
    readonly creationTimestamp?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec?: unknown;
  readonly status?: unknown;
  /** Secrets only: public data (tls.crt, ca.crt); private keys are never returned. */
  readonly data?: Readonly<Record<string, string>>;
  readonly type?: string;
}

/** Kinds the API knows, with the plural names `get` accepts. */
export type ResourceKind =
  | "Certificate"
  | "CertificateRequest"
  | "Issuer"
  | "ClusterIssuer"
  | "Secret"
  | "Order"
  | "Challenge"
  | "Namespace"
  | "SecretTarget"
  /** Not stored: `delete` removes the Certificates an applied Ingress made. */
  | "Ingress";

export interface ApplyRequest {
  /** One or more YAML or JSON documents (multi-document YAML allowed). */
  readonly manifests: string;
  readonly dryRun?: boolean;
  /** Namespace for namespaced objects that name none (kubectl's -n). */
  readonly defaultNamespace?: string;
}

/** `pruned`: a Certificate an applied Ingress made earlier and no longer implies, deleted. */
export type ApplyOutcome = "created" | "configured" | "unchanged" | "pruned";

export interface ApplyResult {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly outcome: ApplyOutcome;
}

export interface ApplyResponse {
  readonly results: readonly ApplyResult[];
  readonly dryRun: boolean;
}

export interface GetRequest {
  readonly kind: ResourceKind;
  readonly name?: string;
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  /** RFC 3339: answer as of this instant, from the events recorded by then. */
  readonly at?: string;
}

export interface GetResponse {
  readonly items: readonly ResourceObject[];
}

export interface ObjectRef {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly namespace?: string;
  /** RFC 3339, describe only: describe the object as it was at this instant. */
  readonly at?: string;
}

export interface ReplayRequest {
  /** RFC 3339: the instant whose state to dump. */
  readonly at: string;
}

/** Every stored object of every kind as it was at `at`, as manifests with status. */
export interface ReplayResponse {
  readonly at: string;
  readonly items: readonly ResourceObject[];
}

/** `certctl auth can-i`: may the caller do this? As Kubernetes' SelfSubjectAccessReview. */
export interface AccessReviewRequest {
  readonly verb: string;
  /** `certificates`, `certificates.cert-manager.io` or `Certificate`. */
  readonly resource: string;
  /** For namespaced resources; absent means every namespace at once (`-A`). */
  readonly namespace?: string;
}

export interface AccessReviewResponse {
  readonly allowed: boolean;
  /** The identity the server judged the caller by (the actor it records). */
  readonly identity: string;
  /** Denied: what is missing. Allowed: which role granted it, or why no policy applies. */
  readonly reason: string;
}

/** `certctl approve` / `certctl deny` (cmctl's): a person's verdict on a pending CertificateRequest. */
export interface JudgeRequest {
  readonly name: string;
  readonly namespace?: string;
  readonly decision: "approve" | "deny";
  /** The Approved or Denied condition's reason and message, as the caller gives them. */
  readonly reason: string;
  readonly message: string;
}

export interface JudgeResponse {
  readonly namespace: string;
  readonly name: string;
  readonly decision: "approve" | "deny";
}

export interface RebuildReadModelsRequest {
  /** Reports on this rebuild; without it a rebuild starts, or the one running is joined. */
  readonly id?: string;
  /** Long-poll: answer once the rebuild has moved on or ended, or after this many ms. */
  readonly waitMs?: number;
}

/** Where a rebuild of intake's read models stands. */
export interface RebuildReadModelsStatus {
  readonly id: string;
  readonly state: "running" | "done" | "failed";
  /** Events folded into the new read models so far. */
  readonly folded: number;
  /** Events the read models held when the rebuild started: what 100 % means. */
  readonly total: number;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** Done: the store position of the last event the new read models include. */
  readonly position?: string;
  /** Failed: what went wrong; the old read models keep answering. */
  readonly message?: string;
}

/** One line of an object's history, newest last. */
export interface HistoryEntry {
  readonly time: string;
  /** The object the event belongs to, e.g. `CertificateRequest demo-apps/myapp-tls-1`. */
  readonly object: string;
  readonly event: string;
  readonly reason: string;
  readonly message: string;
}

export interface DescribeResponse {
  readonly object: ResourceObject;
  /** Related objects shown with it (a Certificate's CertificateRequests, Orders, Challenges). */
  readonly related: readonly ResourceObject[];
  readonly events: readonly HistoryEntry[];
}

export interface DeleteResponse {
  readonly deleted: boolean;
}

export interface CreateTlsSecretRequest {
  readonly name: string;
  readonly namespace: string;
  readonly certificatePem: string;
  /** Travels only over the gRPC API and is sealed on arrival; the NATS API refuses it. */
  readonly privateKeyPem: string;
  readonly caPem?: string;
}

export interface CreateTlsSecretResponse {
  readonly outcome: ApplyOutcome;
}

export interface CertificateDetails {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly uris: readonly string[];
  readonly emailAddresses: readonly string[];
  readonly isCA: boolean;
  readonly keyAlgorithm: string;
  readonly keySize: number;
  readonly signatureAlgorithm: string;
  readonly keyUsages: readonly string[];
  readonly extKeyUsages: readonly string[];
  readonly sha1Fingerprint: string;
  readonly sha256Fingerprint: string;
}

export interface InspectSecretResponse {
  readonly name: string;
  readonly namespace: string;
  readonly annotations: Readonly<Record<string, string>>;
  /** tls.crt: the leaf first, then the chain. */
  readonly chain: readonly CertificateDetails[];
  readonly ca?: CertificateDetails;
  readonly chainVerifiesAgainstCa?: { readonly ok: boolean; readonly reason?: string };
  readonly hasPrivateKey: boolean;
}

export interface RenewRequest {
  readonly name?: string;
  readonly namespace?: string;
  readonly all?: boolean;
  readonly allNamespaces?: boolean;
}

export interface RenewResponse {
  readonly renewed: readonly string[];
}

export interface RevisionEntry {
  readonly revision: number;
  readonly requestName: string;
  readonly trigger: string;
  readonly triggerMessage: string;
  readonly triggeredAt: string;
  readonly outcome: "pending" | "issued" | "failed";
  readonly serialNumber?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly failureMessage?: string;
}

/** Which object's history, and which part of it. */
export interface HistoryRequest {
  /** Absent means Certificate, as before every kind had a history. */
  readonly kind?: ResourceKind;
  readonly name: string;
  readonly namespace: string;
  /** A Certificate's requests, orders, challenges, secrets and publications join its timeline. */
  readonly related?: boolean;
  /** Only the events of this correlation: everything one action caused. */
  readonly correlationId?: string;
  /** Only events after this store position (the last one seen): how `--follow` pages on. */
  readonly afterPosition?: string;
  /**
   * With `afterPosition`: when nothing newer exists yet, wait up to this long (capped by the
   * server) for the next event of the object before answering, possibly with none.
   */
  readonly waitMs?: number;
}

/** One stored event of an object's history, with the provenance its metadata records. */
export interface HistoryRecord extends HistoryEntry {
  readonly id: string;
  readonly stream: string;
  /** The stream's version after the event's commit (decimal). */
  readonly version: string;
  /** The store's global position: timelines of several streams are ordered by it. */
  readonly position: string;
  readonly recordedAt: string;
  readonly actor: string;
  /** The service that appended it; absent on events from before services had owners. */
  readonly producer?: string;
  /** Which of the producer's instances appended it, when several share the work. */
  readonly instance?: string;
  readonly correlationId: string;
  readonly causationId: string;
  /** The object the causing event belongs to, when the cause is a stored event. */
  readonly causeObject?: string;
  /** The causing event's type, when the cause is a stored event. */
  readonly causeEvent?: string;
  readonly traceparent?: string;
  /** The owner command that carried the change from another service. */
  readonly command?: { readonly id: string; readonly type: string; readonly sender: string };
}

export interface HistoryResponse {
  /** A Certificate's issuance attempts (empty for other kinds). */
  readonly revisions: readonly RevisionEntry[];
  /** Every event of the object (and, with `related`, of its related objects), in store order. */
  readonly events: readonly HistoryRecord[];
}

/** Every operation, by transport-neutral name. Errors are typed CertplaneErrors (code, message, field). */
/**
 * Every operation takes the caller as the transport identified it; a client library leaves it out
 * (the server fills it in), and so do in-process callers, which are recorded as in-process.
 */
export interface CertplaneApi {
  apply(request: ApplyRequest, caller?: ApiCaller): Promise<ApplyResponse>;
  get(request: GetRequest, caller?: ApiCaller): Promise<GetResponse>;
  describe(request: ObjectRef, caller?: ApiCaller): Promise<DescribeResponse>;
  delete(request: ObjectRef, caller?: ApiCaller): Promise<DeleteResponse>;
  createTlsSecret(request: CreateTlsSecretRequest, caller?: ApiCaller): Promise<CreateTlsSecretResponse>;
  inspectSecret(
    request: {
      readonly name: string;
      readonly namespace: string;
    },
    caller?: ApiCaller,
  ): Promise<InspectSecretResponse>;
  renew(request: RenewRequest, caller?: ApiCaller): Promise<RenewResponse>;
  history(request: HistoryRequest, caller?: ApiCaller): Promise<HistoryResponse>;
  replay(request: ReplayRequest, caller?: ApiCaller): Promise<ReplayResponse>;
  /** Drops intake's read models and folds them again from every event, then answers from them. */
  rebuildReadModels(request: RebuildReadModelsRequest, caller?: ApiCaller): Promise<RebuildReadModelsStatus>;
  accessReview(request: AccessReviewRequest, caller?: ApiCaller): Promise<AccessReviewResponse>;
  /** Approves or denies a request that is neither yet; a judged one is refused, as cmctl refuses it. */
  judgeCertificateRequest(request: JudgeRequest, caller?: ApiCaller): Promise<JudgeResponse>;
}

/** NATS request subjects, one per operation: `certplane.api.v1.<operation>`. */
export const apiSubjectPrefix = "certplane.api.v1";
export const apiOperations = [
  "apply",
  "get",
  "describe",
  "delete",
  "createTlsSecret",
  "inspectSecret",
  "renew",
  "history",
  "replay",
  "rebuildReadModels",
  "accessReview",
  "judgeCertificateRequest",
] as const satisfies readonly (keyof CertplaneApi)[];
export type ApiOperation = (typeof apiOperations)[number];

export function apiSubject(operation: ApiOperation): string {
  return `${apiSubjectPrefix}.${operation}`;
}

/**
 * `certplane.api.v1.<op>.as.<user>`: a request of NATS user `user`. NATS does not tell a responder
 * who sent a request, but the server's permissions do decide who may publish where, so a user
 * allowed to publish API requests only below `.as.<itself>` is proven by the subject it used.
 */
export function apiSubjectAs(operation: ApiOperation, natsUser: string): string {
  return `${apiSubject(operation)}.as.${natsUser}`;
}

/** Where the embedded control plane serves gRPC by default; certctl uses it when given no flags. */
export const defaultGrpcAddress = "127.0.0.1:7443";

// What each API operation needs the caller to be allowed, checked before the operation runs. Apply
// is the exception: what it needs depends on the documents, so the apply handler asks itself.
import type { AccessReviewRequest, ApiCaller, CertplaneApi } from "@certplane/api";
import {
  type AccessAttempt,
  type AccessResource,
  type AccessVerb,
  accessResources,
  accessVerbs,
  parseAccessResource,
  ValidationError,
} from "@certplane/domain";
import type { ApiAccess } from "./api-access.ts";

/** The resource a kind's objects are, for access checks; an Ingress's are the Certificates it makes. */
export function resourceOfKind(kind: string): AccessResource | undefined {
  if (kind === "Ingress") return "certificates";
  const entry = Object.entries(accessResources).find(([, facts]) => facts.kind === kind);
  return entry?.[0] as AccessResource | undefined;
}

export function attemptOn(
  verb: AccessVerb,
  kind: string,
  namespace: string | undefined,
): AccessAttempt | undefined {
  const resource = resourceOfKind(kind);
  if (resource === undefined) return undefined;
  return { verb, resource, ...(namespace === undefined ? {} : { namespace }) };
}

/** What `history --related` reveals besides the object: the life of everything made for it. */
const relatedResources: readonly AccessResource[] = [
  "certificaterequests",
  "orders",
  "challenges",
  "secrets",
];

/** Refuses an unknown verb or resource naming the field, as `kubectl auth can-i` would. */
export function parseReview(request: AccessReviewRequest): AccessAttempt {
  if (!(accessVerbs as readonly string[]).includes(request.verb)) {
    throw ValidationError.of(
      "verb",
      "oneOf",
      `unknown verb "${request.verb}"; accepted: ${accessVerbs.join(", ")}`,
    );
  }
  const resource = parseAccessResource(request.resource);
  if (resource === undefined) {
    throw ValidationError.of(
      "resource",
      "oneOf",
      `the server doesn't have a resource type "${request.resource}"; accepted: ${Object.keys(accessResources).join(", ")}`,
    );
  }
  return {
    verb: request.verb as AccessVerb,
    resource,
    ...(request.namespace === undefined ? {} : { namespace: request.namespace }),
  };
}

/**
 * `api` with every operation but apply checked against the caller's permissions first, and the
 * access review answered from the same checks.
 */
export function guardedApi(api: Omit<CertplaneApi, "accessReview">, access: ApiAccess): CertplaneApi {
  const check = (caller: ApiCaller | undefined, attempt: AccessAttempt | undefined) => {
    // An unknown kind gets no attempt: the operation itself refuses it, naming the field.
    if (attempt !== undefined) access.require(caller, attempt);
  };
  const inNamespace = (namespace: string | undefined) => namespace || "default";
  return {
    apply: (request, caller) => api.apply(request, caller),
    async get(request, caller) {
      const namespace = request.allNamespaces ? undefined : inNamespace(request.namespace);
      check(caller, attemptOn(request.name ? "get" : "list", request.kind, namespace));
      return await api.get(request, caller);
    },
    async describe(request, caller) {
      check(caller, attemptOn("get", request.kind, inNamespace(request.namespace)));
      return await api.describe(request, caller);
    },
    async delete(request, caller) {
      check(caller, attemptOn("delete", request.kind, inNamespace(request.namespace)));
      return await api.delete(request, caller);
    },
    async createTlsSecret(request, caller) {
      check(caller, attemptOn("create", "Secret", inNamespace(request.namespace)));
      return await api.createTlsSecret(request, caller);
    },
    async inspectSecret(request, caller) {
      check(caller, attemptOn("get", "Secret", inNamespace(request.namespace)));
      return await api.inspectSecret(request, caller);
    },
    async renew(request, caller) {
      const namespace = request.allNamespaces ? undefined : inNamespace(request.namespace);
      check(caller, attemptOn("renew", "Certificate", namespace));
      return await api.renew(request, caller);
    },
    async history(request, caller) {
      const namespace = inNamespace(request.namespace);
      check(caller, attemptOn("get", request.kind ?? "Certificate", namespace));
      if (request.related) {
        for (const resource of relatedResources) check(caller, { verb: "get", resource, namespace });
      }
      return await api.history(request, caller);
    },
    async replay(request, caller) {
      // The whole system at once: every kind in every namespace.
      for (const resource of Object.keys(accessResources) as AccessResource[]) {
        if (resource !== "readmodels") check(caller, { verb: "list", resource });
      }
      return await api.replay(request, caller);
    },
    async rebuildReadModels(request, caller) {
      check(caller, { verb: "rebuild", resource: "readmodels" });
      return await api.rebuildReadModels(request, caller);
    },
    async judgeCertificateRequest(request, caller) {
      check(caller, attemptOn("approve", "CertificateRequest", inNamespace(request.namespace)));
      return await api.judgeCertificateRequest(request, caller);
    },
    accessReview: async (request, caller) => access.review(caller, parseReview(request)),
  };
}

import type { ApiCaller, ApplyOutcome, ApplyRequest, ApplyResponse, ApplyResult } from "@certplane/api";
import { inProcessCaller } from "@certplane/api";
import { type FieldIssue, ValidationError } from "@certplane/domain";
import { attemptOn } from "../access/guarded-api.ts";
import { planSync, pruneCertificates } from "../ingress/sync-ingress.ts";
import { apiCommandContext, type IntakeContext } from "../intake-context.ts";
import { describeObject } from "../kinds.ts";
import { applyStepFor, resultOf } from "../manifests/apply-steps.ts";
import { refuseUnsignedRequests } from "../manifests/csr-signatures.ts";
import { expandIngresses } from "../manifests/ingress-documents.ts";
import { parseDocuments } from "../manifests/parse-documents.ts";
import { validateDocuments } from "../manifests/validate-documents.ts";

/** What applying an object does to it, as a verb of the access policy. */
const verbFor = {
  created: "create",
  configured: "update",
  unchanged: "get",
  pruned: "delete",
} as const satisfies Record<ApplyOutcome, string>;

/**
 * kubectl apply: every document is validated, then every object is tried against its current
 * state (refusals such as a changed CertificateRequest surface here); only if all pass is anything
 * written. The writes themselves are per object, like kubectl's.
 */
export async function apply(
  context: IntakeContext,
  request: ApplyRequest,
  caller?: ApiCaller,
): Promise<ApplyResponse> {
  const parsed = parseDocuments(request.manifests);
  if (parsed.length === 0) throw ValidationError.of("manifests", "required", "no objects passed to apply");
  const defaultNamespace = request.defaultNamespace || "default";
  const expanded = expandIngresses(parsed, defaultNamespace);
  const documents = validateDocuments(expanded.documents, defaultNamespace);
  await refuseUnsignedRequests(documents);
  const stepDependencies = {
    newId: context.newId,
    sealer: { kek: context.kek, random: context.random },
    actor: (caller ?? inProcessCaller).actor,
  };
  const planned = documents.map((document) => ({
    ...document,
    step: applyStepFor(document.resource, stepDependencies),
  }));
  // Before any state is read: whether each object exists is not the caller's to learn either.
  for (const { resource } of planned) {
    const { kind, namespace } = resultOf(resource);
    context.access.requireAny(
      caller,
      (["create", "update"] as const).flatMap((verb) => attemptOn(verb, kind, namespace) ?? []),
    );
  }

  const issues: FieldIssue[] = [];
  const previews: ApplyResult[] = [];
  for (const { resource, object, step } of planned) {
    try {
      previews.push({ ...resultOf(resource), outcome: await step.preview(context.runner) });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      issues.push(...error.issues.map((issue) => ({ ...issue, message: `${object}: ${issue.message}` })));
    }
  }
  const ingressPlans = await Promise.all(
    expanded.ingresses.map(async ({ source, implied }) => ({
      source,
      plan: await planSync(context, source, implied),
    })),
  );
  for (const { source, plan } of ingressPlans) {
    issues.push(
      ...plan.conflicts.map((conflict) => ({
        field: "spec.tls",
        rule: "certificateExists",
        message: conflict.message,
        object: describeObject("Ingress", source.name, source.namespace),
      })),
    );
  }
  if (issues.length > 0) throw new ValidationError(issues);
  previews.forEach(({ kind, namespace, outcome }) => {
    const attempt = attemptOn(verbFor[outcome], kind, namespace);
    if (attempt !== undefined) context.access.require(caller, attempt);
  });
  const prunable = ingressPlans.flatMap(({ source, plan }) =>
    plan.remove.map(
      (name): ApplyResult => ({ kind: "Certificate", name, namespace: source.namespace, outcome: "pruned" }),
    ),
  );
  for (const { namespace } of prunable) {
    context.access.require(caller, {
      verb: "delete",
      resource: "certificates",
      ...(namespace ? { namespace } : {}),
    });
  }
  if (request.dryRun) return { results: [...previews, ...prunable], dryRun: true };

  const commandContext = apiCommandContext(context, caller);
  const results: ApplyResult[] = [];
  for (const { resource, step } of planned) {
    results.push({ ...resultOf(resource), outcome: await step.apply(context, commandContext) });
  }
  for (const { source, plan } of ingressPlans) {
    results.push(...(await pruneCertificates(context, source.namespace, plan, caller ?? inProcessCaller)));
  }
  return { results, dryRun: false };
}

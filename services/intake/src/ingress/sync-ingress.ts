// Carries out an Ingress sync plan (the domain's planIngressSync) against intake's own streams:
// the implied Certificates are applied like any manifest, the stale ones deleted. Both sources of
// Ingresses (applied manifests and the clusters SecretTargets watch) go through here.
import type { ApiCaller, ApplyResult } from "@certplane/api";
import { NotFoundError } from "@certplane/domain";
import type {
  ExistingCertificate,
  IngressCertificate,
  IngressSource,
  IngressSyncPlan,
} from "@certplane/domain/model";
import { certificateDecider, parseStreamName, planIngressSync, streams } from "@certplane/domain/model";
import { deleteObject } from "../handlers/delete.ts";
import type { IntakeContext } from "../intake-context.ts";

/**
 * The active Certificates of `namespace`. The read model trails the store by a moment, so the
 * Certificates named in `alsoLoad` (just written, or about to be) are read from their streams.
 */
export async function existingCertificates(
  context: IntakeContext,
  namespace: string,
  alsoLoad: Iterable<string> = [],
): Promise<ExistingCertificate[]> {
  const found = new Map<string, ExistingCertificate>();
  for (const [stream, state] of context.readModel.certificates.entries()) {
    const parsed = parseStreamName(stream);
    if (parsed.category !== "certificate" || parsed.namespace !== namespace || state.status !== "active")
      continue;
    found.set(parsed.name, { name: parsed.name, annotations: state.meta.annotations ?? {} });
  }
  for (const name of new Set(alsoLoad)) {
    const { state } = await context.runner.load(streams.certificate(namespace, name), certificateDecider);
    if (state.status === "active") found.set(name, { name, annotations: state.meta.annotations ?? {} });
    else found.delete(name);
  }
  return [...found.values()];
}

export async function planSync(
  context: IntakeContext,
  source: IngressSource,
  implied: readonly IngressCertificate[],
  alsoLoad: Iterable<string> = [],
): Promise<IngressSyncPlan> {
  const names = [...implied.map((certificate) => certificate.metadata.name), ...alsoLoad];
  return planIngressSync(source, implied, await existingCertificates(context, source.namespace, names));
}

/** Deletes the Certificates a plan prunes; one already gone is not an error. */
export async function pruneCertificates(
  context: IntakeContext,
  namespace: string,
  plan: IngressSyncPlan,
  caller: ApiCaller,
): Promise<ApplyResult[]> {
  const pruned: ApplyResult[] = [];
  for (const name of plan.remove) {
    const { deleted } = await deleteObject(context, { kind: "Certificate", name, namespace }, caller).catch(
      (error: unknown) => {
        if (error instanceof NotFoundError) return { deleted: false };
        throw error;
      },
    );
    if (deleted) pruned.push({ kind: "Certificate", name, namespace, outcome: "pruned" });
  }
  return pruned;
}

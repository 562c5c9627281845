// What one Ingress's change means for the Certificates made from it, as cert-manager's shim
// syncs: the Certificates it implies are applied, the ones it made earlier and no longer implies
// (a tls entry removed, the Ingress deleted) are deleted, and a Certificate of the same name that
// it did not make is left alone and reported, never taken over.
import type { IngressCertificate } from "./ingress-certificates.ts";
import { ingressClusterAnnotation, ingressSourceAnnotation } from "./ingress-certificates.ts";

/** One Ingress: where it lives, and the SecretTarget whose cluster it was watched in (none: a manifest). */
export interface IngressSource {
  readonly namespace: string;
  readonly name: string;
  readonly cluster?: string;
}

export interface ExistingCertificate {
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface IngressSyncPlan {
  readonly apply: readonly IngressCertificate[];
  /** Names of Certificates (in the Ingress's namespace) to delete. */
  readonly remove: readonly string[];
  readonly conflicts: readonly { readonly name: string; readonly message: string }[];
}

export function madeFromIngress(
  source: IngressSource,
  annotations: Readonly<Record<string, string>>,
): boolean {
  return (
    annotations[ingressSourceAnnotation] === `${source.namespace}/${source.name}` &&
    annotations[ingressClusterAnnotation] === source.cluster
  );
}

/** A human name of the Ingress, for messages. */
export function describeIngressSource(source: IngressSource): string {
  const where = source.cluster === undefined ? "" : ` in the cluster of SecretTarget ${source.cluster}`;
  return `Ingress ${source.namespace}/${source.name}${where}`;
}

/**
 * `implied` is what the Ingress implies now (empty when it was deleted); `existing` every active
 * Certificate of the Ingress's namespace.
 */
export function planIngressSync(
  source: IngressSource,
  implied: readonly IngressCertificate[],
  existing: readonly ExistingCertificate[],
): IngressSyncPlan {
  const byName = new Map(existing.map((certificate) => [certificate.name, certificate]));
  const apply: IngressCertificate[] = [];
  const conflicts: { name: string; message: string }[] = [];
  for (const certificate of implied) {
    const current = byName.get(certificate.metadata.name);
    if (current === undefined || madeFromIngress(source, current.annotations)) {
      apply.push(certificate);
      continue;
    }
    const maker = current.annotations[ingressSourceAnnotation];
    conflicts.push({
      name: certificate.metadata.name,
      message:
        `${describeIngressSource(source)} implies Certificate ${source.namespace}/${certificate.metadata.name}, ` +
        `but a Certificate of that name already exists ${maker === undefined ? "that no Ingress made" : `made from Ingress ${maker}`}; ` +
        "it is left as it is: rename the tls entry's secretName or delete that Certificate",
    });
  }
  const keep = new Set(implied.map((certificate) => certificate.metadata.name));
  const remove = existing
    .filter((certificate) => !keep.has(certificate.name) && madeFromIngress(source, certificate.annotations))
    .map((certificate) => certificate.name);
  return { apply, remove, conflicts };
}

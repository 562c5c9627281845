// Ingresses in applied manifests become the Certificates cert-manager's ingress-shim would create
// (the seed's `hello-app` Ingress among them); everything else passes through unchanged. The
// Ingress itself is not stored: certplane routes no traffic, it only needs what the Ingress implies.
import type { FieldIssue } from "@certplane/domain";
import { ValidationError } from "@certplane/domain";
import { certificatesForIngress } from "@certplane/domain/model";
import { describeObject } from "../kinds.ts";

interface IngressDocument {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

const isIngress = (document: unknown): document is IngressDocument =>
  (document as IngressDocument | null)?.kind === "Ingress" &&
  (document as IngressDocument).apiVersion === "networking.k8s.io/v1";

export function expandIngresses(documents: readonly unknown[], defaultNamespace: string): unknown[] {
  const issues: FieldIssue[] = [];
  const expanded = documents.flatMap((document) => {
    if (!isIngress(document)) return [document];
    const namespace = document.metadata?.namespace ?? defaultNamespace;
    const object = describeObject("Ingress", document.metadata?.name ?? "", namespace);
    try {
      return certificatesForIngress({
        ...document,
        metadata: { ...document.metadata, namespace },
      } as Parameters<typeof certificatesForIngress>[0]);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      issues.push(...error.issues.map((issue) => ({ ...issue, object })));
      return [];
    }
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return expanded;
}

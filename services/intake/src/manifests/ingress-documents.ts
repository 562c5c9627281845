// Ingresses in applied manifests become the Certificates cert-manager's ingress-shim would create
// (the seed's `hello-app` Ingress among them); everything else passes through unchanged. The
// Ingress itself is not stored: certplane routes no traffic, it only needs what the Ingress implies.
import type { FieldIssue } from "@certplane/domain";
import { ValidationError } from "@certplane/domain";
import type { IngressCertificate, IngressLike, IngressSource } from "@certplane/domain/model";
import { certificatesForIngress, ingressNamesIssuer } from "@certplane/domain/model";
import { describeObject } from "../kinds.ts";
import { ingressShapeIssues } from "./ingress-shape.ts";

interface IngressDocument {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

/** One applied Ingress and the Certificates it implies now. */
export interface AppliedIngress {
  readonly source: IngressSource;
  readonly implied: readonly IngressCertificate[];
}

export interface ExpandedDocuments {
  readonly documents: unknown[];
  readonly ingresses: readonly AppliedIngress[];
}

const isIngress = (document: unknown): document is IngressDocument =>
  (document as IngressDocument | null)?.kind === "Ingress" &&
  (document as IngressDocument).apiVersion === "networking.k8s.io/v1";

export function expandIngresses(documents: readonly unknown[], defaultNamespace: string): ExpandedDocuments {
  const issues: FieldIssue[] = [];
  const ingresses: AppliedIngress[] = [];
  const expanded = documents.flatMap((document, index) => {
    if (!isIngress(document)) return [document];
    const shape = ingressShapeIssues(document);
    if (shape.length > 0) {
      // The name itself may be what is mistyped, so the object is named by its position.
      issues.push(...shape.map((issue) => ({ ...issue, object: `Ingress (document ${index + 1})` })));
      return [];
    }
    const namespace = document.metadata?.namespace ?? defaultNamespace;
    const name = document.metadata?.name ?? "";
    try {
      const ingress = { ...document, metadata: { ...document.metadata, namespace } } as IngressLike;
      const implied = certificatesForIngress(ingress);
      if (ingressNamesIssuer(ingress)) ingresses.push({ source: { namespace, name }, implied });
      return implied;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const object = describeObject("Ingress", name, namespace);
      issues.push(...error.issues.map((issue) => ({ ...issue, object })));
      return [];
    }
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return { documents: expanded, ingresses };
}

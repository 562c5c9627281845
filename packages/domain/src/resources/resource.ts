// The kinds certplane understands, each with its apiVersion, scope and schema.
import type { z } from "zod";
import { type Certificate, certificateSchema } from "./certificate.ts";
import { type CertificateRequest, certificateRequestSchema } from "./certificate-request.ts";
import { type Challenge, challengeSchema } from "./challenge.ts";
import { type Namespace, namespaceSchema, type Secret, secretSchema } from "./core.ts";
import { type ClusterIssuer, clusterIssuerSchema, type Issuer, issuerSchema } from "./issuer.ts";
import { type Order, orderSchema } from "./order.ts";
import { type SecretTarget, secretTargetSchema } from "./secret-target.ts";

export type Resource =
  | Issuer
  | ClusterIssuer
  | Certificate
  | CertificateRequest
  | Order
  | Challenge
  | Namespace
  | Secret
  | SecretTarget;
export type ResourceKind = Resource["kind"];
export type ResourceOfKind<K extends ResourceKind> = Extract<Resource, { kind: K }>;

export interface KindInfo {
  readonly apiVersion: string;
  readonly kind: ResourceKind;
  readonly namespaced: boolean;
  readonly schema: z.ZodType<Resource>;
}

function info<K extends ResourceKind>(
  kind: K,
  apiVersion: ResourceOfKind<K>["apiVersion"],
  namespaced: boolean,
  schema: z.ZodType<ResourceOfKind<K>>,
): KindInfo {
  return { kind, apiVersion, namespaced, schema };
}

export const resourceKinds: Readonly<Record<ResourceKind, KindInfo>> = {
  Issuer: info("Issuer", "cert-manager.io/v1", true, issuerSchema),
  ClusterIssuer: info("ClusterIssuer", "cert-manager.io/v1", false, clusterIssuerSchema),
  Certificate: info("Certificate", "cert-manager.io/v1", true, certificateSchema),
  CertificateRequest: info("CertificateRequest", "cert-manager.io/v1", true, certificateRequestSchema),
  Order: info("Order", "acme.cert-manager.io/v1", true, orderSchema),
  Challenge: info("Challenge", "acme.cert-manager.io/v1", true, challengeSchema),
  Namespace: info("Namespace", "v1", false, namespaceSchema),
  Secret: info("Secret", "v1", true, secretSchema),
  SecretTarget: info("SecretTarget", "certplane.io/v1alpha1", false, secretTargetSchema),
};

/** Looks a kind up by the pair a manifest names; `undefined` for kinds certplane does not handle. */
export function kindInfoFor(apiVersion: unknown, kind: unknown): KindInfo | undefined {
  if (typeof kind !== "string" || !Object.hasOwn(resourceKinds, kind)) return undefined;
  const found = resourceKinds[kind as ResourceKind];
  return found.apiVersion === apiVersion ? found : undefined;
}

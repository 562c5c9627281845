import { ValidationError } from "@certplane/domain";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * CERTPLANE_CLUSTER_RESOURCE_NAMESPACE (cert-manager's --cluster-resource-namespace, default
 * cert-manager): where the Secrets that ClusterIssuers and SecretTargets name live. Every service
 * that reads such Secrets must agree on it, so they all parse it here.
 */
export function parseClusterResourceNamespace(env: Readonly<Record<string, string | undefined>>): string {
  const namespace = env.CERTPLANE_CLUSTER_RESOURCE_NAMESPACE?.trim() || "cert-manager";
  if (!DNS_LABEL.test(namespace)) {
    throw ValidationError.of(
      "CERTPLANE_CLUSTER_RESOURCE_NAMESPACE",
      "dnsLabel",
      `CERTPLANE_CLUSTER_RESOURCE_NAMESPACE must be a namespace name (RFC 1123 label), got "${namespace}"`,
    );
  }
  return namespace;
}

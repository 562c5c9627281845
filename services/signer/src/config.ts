import { ValidationError } from "@certplane/domain";

export interface SignerConfig {
  /** Where secrets referenced by ClusterIssuers live (cert-manager's --cluster-resource-namespace). */
  readonly clusterResourceNamespace: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function parseSignerConfig(env: NodeJS.ProcessEnv): SignerConfig {
  const clusterResourceNamespace = env.CERTPLANE_CLUSTER_RESOURCE_NAMESPACE || "cert-manager";
  if (!DNS_LABEL.test(clusterResourceNamespace)) {
    throw ValidationError.of(
      "CERTPLANE_CLUSTER_RESOURCE_NAMESPACE",
      "dnsLabel",
      `CERTPLANE_CLUSTER_RESOURCE_NAMESPACE must be a namespace name (RFC 1123 label), got "${clusterResourceNamespace}"`,
    );
  }
  return Object.freeze({ clusterResourceNamespace });
}

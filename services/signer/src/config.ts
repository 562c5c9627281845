import { parseGoDuration, ValidationError } from "@certplane/domain";

export interface SignerConfig {
  /** Where secrets referenced by ClusterIssuers live (cert-manager's --cluster-resource-namespace). */
  readonly clusterResourceNamespace: string;
  /**
   * The longest lifetime this signer issues, whatever a request asks (an issuer may ignore the
   * requested duration, as cert-manager says). Unset: requests get what they ask for.
   */
  readonly maxDurationMs?: number;
  /**
   * A kubeconfig file for the cluster whose service accounts Vault's Kubernetes auth trusts: the
   * signer asks its TokenRequest API for `auth.kubernetes.serviceAccountRef` tokens. Unset: such
   * issuers are not Ready.
   */
  readonly kubeconfigPath?: string;
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
  const maxDuration = env.CERTPLANE_SIGNER_MAX_DURATION;
  const maxDurationMs =
    maxDuration === undefined || maxDuration === ""
      ? undefined
      : parseGoDuration(maxDuration, { field: "CERTPLANE_SIGNER_MAX_DURATION" });
  if (maxDurationMs !== undefined && maxDurationMs <= 0) {
    throw ValidationError.of(
      "CERTPLANE_SIGNER_MAX_DURATION",
      "positive",
      `CERTPLANE_SIGNER_MAX_DURATION must be a positive duration, got "${maxDuration}"`,
    );
  }
  // The file is loaded when the service starts, where a bad one is refused with this name.
  const kubeconfigPath = env.CERTPLANE_SIGNER_KUBECONFIG?.trim() || undefined;
  return Object.freeze({
    clusterResourceNamespace,
    ...(maxDurationMs === undefined ? {} : { maxDurationMs }),
    ...(kubeconfigPath === undefined ? {} : { kubeconfigPath }),
  });
}

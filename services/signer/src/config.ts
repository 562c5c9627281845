import { parseGoDuration, ValidationError } from "@certplane/domain";
import { parseMetricsAddress } from "@certplane/observability";
import { parseClusterResourceNamespace } from "@certplane/runtime";

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
  /** `host:port` of the /metrics, /livez and /readyz listener (CERTPLANE_METRICS_ADDRESS); absent: none. */
  readonly metricsAddress?: string;
}

export function parseSignerConfig(env: NodeJS.ProcessEnv): SignerConfig {
  const clusterResourceNamespace = parseClusterResourceNamespace(env);
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
  const metricsAddress = parseMetricsAddress(env);
  return Object.freeze({
    clusterResourceNamespace,
    ...(maxDurationMs === undefined ? {} : { maxDurationMs }),
    ...(kubeconfigPath === undefined ? {} : { kubeconfigPath }),
    ...(metricsAddress === undefined ? {} : { metricsAddress }),
  });
}

import { resolve } from "node:path";
import { ValidationError } from "@certplane/domain";

export interface SecretPublisherConfig {
  /** Root of the file secret target: `<secretsDir>/<namespace>/<name>/…`. */
  readonly secretsDir: string;
  /** Where ClusterIssuer-related secrets live (cert-manager's --cluster-resource-namespace). */
  readonly clusterResourceNamespace: string;
}

const OBJECT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Reads CERTPLANE_SECRETS_DIR (default ./secrets) and CERTPLANE_CLUSTER_RESOURCE_NAMESPACE (default cert-manager). */
export function parseSecretPublisherConfig(env: NodeJS.ProcessEnv): SecretPublisherConfig {
  const clusterResourceNamespace = env.CERTPLANE_CLUSTER_RESOURCE_NAMESPACE || "cert-manager";
  if (!OBJECT_NAME.test(clusterResourceNamespace)) {
    throw ValidationError.of(
      "CERTPLANE_CLUSTER_RESOURCE_NAMESPACE",
      "namespace",
      `CERTPLANE_CLUSTER_RESOURCE_NAMESPACE must be a namespace name, got "${clusterResourceNamespace}"`,
    );
  }
  return Object.freeze({
    secretsDir: resolve(env.CERTPLANE_SECRETS_DIR || "./secrets"),
    clusterResourceNamespace,
  });
}

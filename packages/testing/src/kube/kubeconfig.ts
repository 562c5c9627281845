import { KubeConfig } from "@kubernetes/client-node";

export interface KubeconfigYamlOptions {
  readonly cluster: string;
  readonly server: string;
  /** base64 of the CA's PEM. */
  readonly caData: string;
  readonly token: string;
  readonly context: string;
}

/**
 * A kubeconfig file's text with one cluster, one token user and one context, the shape product code
 * is configured with. Every value is written as a JSON string, which YAML reads as a quoted scalar.
 */
export function kubeconfigYaml(options: KubeconfigYamlOptions): string {
  const q = (value: string) => JSON.stringify(value);
  const user = `${options.context}-user`;
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${q(options.cluster)}`,
    "  cluster:",
    `    server: ${q(options.server)}`,
    `    certificate-authority-data: ${q(options.caData)}`,
    "users:",
    `- name: ${q(user)}`,
    "  user:",
    `    token: ${q(options.token)}`,
    "contexts:",
    `- name: ${q(options.context)}`,
    "  context:",
    `    cluster: ${q(options.cluster)}`,
    `    user: ${q(user)}`,
    `current-context: ${q(options.context)}`,
    "",
  ].join("\n");
}

export function loadKubeConfig(yaml: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromString(yaml);
  return config;
}

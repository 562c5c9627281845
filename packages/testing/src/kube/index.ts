export type { AdminKubeAccess, RestrictedTokenOptions } from "./kube-access.ts";
export type { KubeClusterHandle, StartKubeClusterOptions } from "./kube-apiserver.ts";
export { kubeApiserverBinary, startKubeCluster } from "./kube-apiserver.ts";
export type { KubeconfigYamlOptions } from "./kubeconfig.ts";
export { kubeconfigYaml } from "./kubeconfig.ts";

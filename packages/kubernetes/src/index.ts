export type { ListWatchOptions, RunningWatch, WatchPhase } from "./list-watch.ts";
export { listAndWatch } from "./list-watch.ts";
export type { KubernetesTargetSpec, TargetCredentialsReader } from "./target-kubeconfig.ts";
export { kubeConfigForTarget, kubeconfigStreamOf } from "./target-kubeconfig.ts";

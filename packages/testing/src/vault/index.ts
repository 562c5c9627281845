export type { KubernetesAuthConfig, KubernetesAuthRole } from "./kubernetes-auth.ts";
export type { KvV2Secret } from "./kv-v2-engine.ts";
export type {
  VaultRole,
  VaultStandInCa,
  VaultStandInOptions,
  VaultStandInSigned,
} from "./vault-stand-in.ts";
export { VaultStandIn } from "./vault-stand-in.ts";

export type { CertAuthRole } from "./cert-auth.ts";
export type { KubernetesAuthConfig, KubernetesAuthRole } from "./kubernetes-auth.ts";
export type { KvV2Secret } from "./kv-v2-engine.ts";
export type {
  VaultRole,
  VaultStandInCa,
  VaultStandInOptions,
  VaultStandInSigned,
  VaultStandInTls,
} from "./vault-stand-in.ts";
export { VaultStandIn } from "./vault-stand-in.ts";

import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { resolve } from "node:path";
import { type ApiTokens, defaultGrpcAddress, type GrpcServerTls, parseApiTokens } from "@certplane/api";
import { type AccessPolicy, ValidationError } from "@certplane/domain";
import { parseMetricsAddress } from "@certplane/observability";
import { parseClusterResourceNamespace } from "@certplane/runtime";
import { ACCESS_POLICY_VARIABLE, readAccessPolicyFile } from "./access/access-policy-file.ts";
import type { ApprovalConfig } from "./approval/approval-policy.ts";
import { APPROVAL_POLICY_VARIABLE, readApprovalPolicyFile } from "./approval/approval-policy-file.ts";
import { readConfigFile } from "./config-file.ts";

export interface GrpcServing {
  /** `host:port` to listen on. */
  readonly address: string;
  /** Absent means plaintext, which parsing allows on a loopback address only (or when told to). */
  readonly tls?: GrpcServerTls;
  /** API bearer tokens by name (CERTPLANE_API_TOKENS_FILE); absent: a presented token is refused. */
  readonly tokens?: ApiTokens;
}

export interface IntakeConfig {
  readonly approval: ApprovalConfig;
  readonly grpc: GrpcServing;
  /** Where the kubeconfig Secrets of SecretTargets live, for the ingress-shim's watches. */
  readonly clusterResourceNamespace: string;
  /** `host:port` the read-only dashboard listens on; absent: no dashboard. */
  readonly dashboardAddress?: string;
  /** Where read-model snapshots are kept; absent: none, every start folds every event. */
  readonly snapshotDir?: string;
  /** Discard the snapshot and fold every event again (CERTPLANE_REBUILD_READ_MODELS=true). */
  readonly rebuildReadModels: boolean;
  /** Who may do what (CERTPLANE_ACCESS_POLICY_FILE); absent: every caller may do everything. */
  readonly accessPolicy?: AccessPolicy;
  /** Plaintext gRPC on loopback: `local:` callers are on this host, and are the admin. */
  readonly localAdmin: boolean;
  /** `host:port` of the /metrics, /livez and /readyz listener (CERTPLANE_METRICS_ADDRESS); absent: none. */
  readonly metricsAddress?: string;
}

export interface IntakeConfigDefaults {
  /** The embedded default serves the dashboard unless told not to; the intake process does not. */
  readonly dashboardAddress?: string;
  /** The embedded default keeps snapshots under its data directory. */
  readonly snapshotDir?: string;
}

export interface IntakeConfigOptions {
  /** Reads the PEM files the TLS settings name; tests pass a fake. */
  readonly readFile?: (path: string) => string;
}

type Env = Readonly<Record<string, string | undefined>>;

function list(value: string | undefined): readonly string[] {
  return Object.freeze(
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== ""),
  );
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === "") return fallback;
  if (value === "true") return true;
  if (value === "false") return false;
  throw ValidationError.of(name, "boolean", `must be "true" or "false"`);
}

/**
 * CERTPLANE_APPROVAL_AUTO_APPROVE (default true; false leaves requests to an external approver),
 * CERTPLANE_APPROVAL_DENY_ISSUERS (comma list of `name` or `Kind/name`),
 * CERTPLANE_APPROVAL_DENY_NAMESPACES (comma list), CERTPLANE_APPROVAL_POLICY_FILE (approver-policy's
 * CertificateRequestPolicy documents, YAML),
 * CERTPLANE_GRPC_ADDRESS (default 127.0.0.1:7443), CERTPLANE_GRPC_TLS_CERT_FILE and
 * CERTPLANE_GRPC_TLS_KEY_FILE (PEM, both or neither), CERTPLANE_GRPC_TLS_CLIENT_CA_FILE (requires
 * client certificates signed by this CA), CERTPLANE_GRPC_INSECURE (allow plaintext off loopback),
 * CERTPLANE_CLUSTER_RESOURCE_NAMESPACE (default cert-manager), CERTPLANE_DASHBOARD_ADDRESS (`host:port`
 * of the read-only dashboard, or `off`; the intake process serves none unless it is set),
 * CERTPLANE_SNAPSHOT_DIR (read-model snapshots; none unless set), CERTPLANE_REBUILD_READ_MODELS,
 * CERTPLANE_METRICS_ADDRESS (`host:port` of /metrics, /livez and /readyz, or `off`; none unless set).
 */
export function parseIntakeConfig(
  env: Env,
  options: IntakeConfigOptions = {},
  defaults: IntakeConfigDefaults = {},
): IntakeConfig {
  const dashboardAddress = parseDashboardAddress(env, defaults.dashboardAddress);
  const snapshotDir = env.CERTPLANE_SNAPSHOT_DIR?.trim() || defaults.snapshotDir;
  const metricsAddress = parseMetricsAddress(env);
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, "utf8"));
  const grpc = parseGrpcServing(env, readFile);
  const policyFile = env[ACCESS_POLICY_VARIABLE]?.trim() || undefined;
  const accessPolicy = policyFile === undefined ? undefined : readAccessPolicyFile(policyFile, readFile);
  const approvalPolicyFile = env[APPROVAL_POLICY_VARIABLE]?.trim() || undefined;
  return Object.freeze({
    approval: Object.freeze({
      autoApprove: flag(env, "CERTPLANE_APPROVAL_AUTO_APPROVE", true),
      denyIssuers: list(env.CERTPLANE_APPROVAL_DENY_ISSUERS),
      denyNamespaces: list(env.CERTPLANE_APPROVAL_DENY_NAMESPACES),
      policies:
        approvalPolicyFile === undefined
          ? Object.freeze([])
          : Object.freeze(readApprovalPolicyFile(approvalPolicyFile, readFile)),
    }),
    grpc,
    ...(accessPolicy === undefined ? {} : { accessPolicy }),
    localAdmin: grpc.tls === undefined && isLoopback(grpc.address),
    clusterResourceNamespace: parseClusterResourceNamespace(env),
    ...(dashboardAddress === undefined ? {} : { dashboardAddress }),
    ...(snapshotDir === undefined ? {} : { snapshotDir: resolve(snapshotDir) }),
    rebuildReadModels: flag(env, "CERTPLANE_REBUILD_READ_MODELS", false),
    ...(metricsAddress === undefined ? {} : { metricsAddress }),
  });
}

/** CERTPLANE_DASHBOARD_ADDRESS: `host:port`, or `off`. */
function parseDashboardAddress(env: Env, fallback: string | undefined): string | undefined {
  const value = env.CERTPLANE_DASHBOARD_ADDRESS?.trim() || fallback;
  if (value === undefined || value === "off") return undefined;
  const match = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(value);
  if (match === null || Number(match[2]) > 65535) {
    throw ValidationError.of(
      "CERTPLANE_DASHBOARD_ADDRESS",
      "address",
      `CERTPLANE_DASHBOARD_ADDRESS must be host:port (port 0 picks one) or "off", got "${value}"`,
    );
  }
  return value;
}

function parseGrpcServing(env: Env, readFile: (path: string) => string): GrpcServing {
  const address = env.CERTPLANE_GRPC_ADDRESS?.trim() || defaultGrpcAddress;
  const tls = parseTls(env, readFile);
  const tokensFile = env.CERTPLANE_API_TOKENS_FILE?.trim() || undefined;
  const tokens =
    tokensFile === undefined
      ? {}
      : {
          tokens: parseApiTokens(
            readConfigFile(readFile, "CERTPLANE_API_TOKENS_FILE", tokensFile),
            tokensFile,
          ),
        };
  if (tls !== undefined) return Object.freeze({ address, tls, ...tokens });
  // The API carries private keys (`create secret tls`, Secret manifests), so plaintext stays on this host.
  if (!isLoopback(address) && !flag(env, "CERTPLANE_GRPC_INSECURE", false)) {
    throw ValidationError.of(
      "CERTPLANE_GRPC_ADDRESS",
      "plaintextOffLoopback",
      `${address} is not a loopback address and the API carries private keys: set ` +
        "CERTPLANE_GRPC_TLS_CERT_FILE and CERTPLANE_GRPC_TLS_KEY_FILE to serve TLS, " +
        "or CERTPLANE_GRPC_INSECURE=true to serve plaintext anyway",
    );
  }
  return Object.freeze({ address, ...tokens });
}

function parseTls(env: Env, readFile: (path: string) => string): GrpcServerTls | undefined {
  const certFile = env.CERTPLANE_GRPC_TLS_CERT_FILE?.trim() || undefined;
  const keyFile = env.CERTPLANE_GRPC_TLS_KEY_FILE?.trim() || undefined;
  const clientCaFile = env.CERTPLANE_GRPC_TLS_CLIENT_CA_FILE?.trim() || undefined;
  if (certFile === undefined && keyFile === undefined) {
    if (clientCaFile !== undefined) {
      throw ValidationError.of(
        "CERTPLANE_GRPC_TLS_CLIENT_CA_FILE",
        "needsServerCertificate",
        "client certificates need TLS: also set CERTPLANE_GRPC_TLS_CERT_FILE and CERTPLANE_GRPC_TLS_KEY_FILE",
      );
    }
    return undefined;
  }
  if (certFile === undefined)
    throw missingPartner("CERTPLANE_GRPC_TLS_CERT_FILE", "CERTPLANE_GRPC_TLS_KEY_FILE");
  if (keyFile === undefined)
    throw missingPartner("CERTPLANE_GRPC_TLS_KEY_FILE", "CERTPLANE_GRPC_TLS_CERT_FILE");
  const certificatePem = readPem(readFile, "CERTPLANE_GRPC_TLS_CERT_FILE", certFile, "CERTIFICATE");
  const privateKeyPem = readPem(readFile, "CERTPLANE_GRPC_TLS_KEY_FILE", keyFile, "PRIVATE KEY");
  return Object.freeze({
    certificatePem,
    privateKeyPem,
    ...(clientCaFile === undefined
      ? {}
      : {
          clientCaPem: readPem(readFile, "CERTPLANE_GRPC_TLS_CLIENT_CA_FILE", clientCaFile, "CERTIFICATE"),
        }),
  });
}

function missingPartner(missing: string, present: string): ValidationError {
  return ValidationError.of(missing, "required", `must be set together with ${present}`);
}

// Messages name the file, never its contents: one of them is a private key.
function readPem(
  readFile: (path: string) => string,
  field: string,
  path: string,
  block: "CERTIFICATE" | "PRIVATE KEY",
): string {
  const text = readConfigFile(readFile, field, path);
  // "PRIVATE KEY" also matches PKCS#1 "RSA PRIVATE KEY" and SEC 1 "EC PRIVATE KEY".
  if (!new RegExp(`-----BEGIN ([A-Z]+ )?${block}-----`).test(text)) {
    throw ValidationError.of(field, "pem", `${path} holds no PEM ${block}`);
  }
  return text;
}

function isLoopback(address: string): boolean {
  const host = address.slice(0, address.lastIndexOf(":")).replace(/^\[|\]$/g, "");
  if (host === "localhost" || host === "::1") return true;
  return isIP(host) === 4 && host.startsWith("127.");
}

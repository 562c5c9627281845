import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { killWithParent } from "../kill-with-parent.ts";
import { freePort } from "../nats-server.ts";
import { pollWhileRunning } from "../poll-until.ts";
import { adminKubeAccess, type RestrictedTokenOptions } from "./kube-access.ts";
import { kubeconfigYaml, loadKubeConfig } from "./kubeconfig.ts";

// A real etcd + kube-apiserver pair per cluster, as ../shared/recipes/kube-apiserver.md describes.
// No controller-manager runs: namespaces never finish deleting and service-account token Secrets
// are never filled in, so tokens come from the TokenRequest API.

const VERSION = "1.20.2";
const SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc";
const START_TIMEOUT_MS = 60_000;

export interface KubeClusterHandle {
  /** Names the cluster, its kubeconfig cluster/context entries and its temporary directory. */
  readonly name: string;
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  readonly port: number;
  /** The serving certificate chain the server wrote into its --cert-dir, as PEM. */
  readonly caPem: string;
  /** `caPem` in base64, as kubeconfig's `certificate-authority-data` and client-node's `caData` want it. */
  readonly caData: string;
  /** A static token of user `admin` in group `system:masters`. */
  readonly adminToken: string;
  /** A client-node KubeConfig for this cluster with the admin token, or with `user.token`. */
  kubeConfig(user?: { readonly token: string }): KubeConfig;
  /** A kubeconfig file's text: this cluster with its CA, one token user and one context (default `name`). */
  kubeconfigYaml(token?: string, options?: { readonly context?: string }): string;
  createNamespace(name: string): Promise<void>;
  /**
   * A ServiceAccount token allowed only `verbs` on `secrets` in `namespace` (ServiceAccount, Role and
   * RoleBinding are created there). Resolves once the RBAC authorizer has seen the binding.
   */
  restrictedToken(options: RestrictedTokenOptions): Promise<string>;
  /** Kills kube-apiserver only; etcd keeps the data, so `restart` brings the same cluster back. */
  stop(): Promise<void>;
  /** Starts kube-apiserver again on the same port, certificates and etcd. */
  restart(): Promise<void>;
  /** Stops both processes and removes the cluster's directory. */
  dispose(): Promise<void>;
}

export interface StartKubeClusterOptions {
  readonly name?: string;
  /** kube-apiserver; default `kubeApiserverBinary()`. */
  readonly binary?: string;
  /** etcd; default env ETCD_BIN, else `etcd` from PATH (Debian package etcd-server). */
  readonly etcdBinary?: string;
}

/**
 * The cached kube-apiserver: env CERTPLANE_KUBE_APISERVER_BIN, else
 * `${CERTPLANE_CACHE_DIR:-$HOME/.cache/certplane}/kube-apiserver-1.20.2`.
 */
export function kubeApiserverBinary(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.CERTPLANE_KUBE_APISERVER_BIN || undefined;
  const cacheDir = env.CERTPLANE_CACHE_DIR || join(homedir(), ".cache", "certplane");
  const binary = explicit ?? join(cacheDir, `kube-apiserver-${VERSION}`);
  if (!existsSync(binary)) {
    const from = explicit === undefined ? "" : " (from CERTPLANE_KUBE_APISERVER_BIN)";
    throw new Error(
      `kube-apiserver ${VERSION} not found at ${binary}${from}; build it once with ` +
        "`bash infra/kube/build-kube-apiserver.sh` (about 6 minutes, it prints the binary's path), " +
        "or point CERTPLANE_KUBE_APISERVER_BIN at a kube-apiserver binary",
    );
  }
  return binary;
}

interface Server {
  readonly process: ChildProcess;
  /** The last lines the process wrote to stderr, for failure messages. */
  readonly log: () => string;
}

function spawnServer(binary: string, args: readonly string[], installHint: string): Server {
  const proc = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
  killWithParent(proc);
  let log = "";
  proc.stderr?.on("data", (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-6000);
  });
  proc.once("error", (error) => {
    log += `\ncannot start ${binary}: ${error.message}; ${installHint}`;
  });
  return { process: proc, log: () => log };
}

async function waitReady(server: Server, name: string, ready: () => Promise<boolean>): Promise<void> {
  try {
    await pollWhileRunning(server.process, name, ready, START_TIMEOUT_MS);
  } catch (error) {
    server.process.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\n${server.log()}`, { cause: error });
  }
}

async function kill(server: Server | undefined): Promise<void> {
  const proc = server?.process;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  proc.kill("SIGKILL");
  await exited;
}

async function etcdHealthy(clientUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${clientUrl}/health`);
    return response.ok && ((await response.json()) as { health?: string }).health === "true";
  } catch {
    return false;
  }
}

/** Whether /readyz answers 200; TLS is not verified here because the certificate may still be written. */
function apiserverReady(port: number, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = httpsRequest(
      {
        host: "127.0.0.1",
        port,
        path: "/readyz",
        headers: { authorization: `Bearer ${token}` },
        rejectUnauthorized: false,
        timeout: 2_000,
      },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.once("timeout", () => request.destroy(new Error("timeout")));
    request.once("error", () => resolve(false));
    request.end();
  });
}

/**
 * Starts etcd and kube-apiserver on free loopback ports in a fresh temporary directory and waits for
 * /readyz. Each call is an independent cluster; several can run side by side (300–500 MB each).
 */
export async function startKubeCluster(options: StartKubeClusterOptions = {}): Promise<KubeClusterHandle> {
  const name = options.name ?? "kube";
  const binary = options.binary ?? kubeApiserverBinary();
  const etcdBinary = options.etcdBinary ?? process.env.ETCD_BIN ?? "etcd";
  const dir = await mkdtemp(join(tmpdir(), `certplane-${name}-`));
  const certDir = join(dir, "certs");
  await mkdir(certDir);

  const adminToken = randomBytes(24).toString("hex");
  await writeFile(join(dir, "tokens.csv"), `${adminToken},admin,admin,system:masters\n`, { mode: 0o600 });
  const serviceAccountKey = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  await writeFile(join(dir, "sa.key"), serviceAccountKey.privateKey, { mode: 0o600 });
  await writeFile(join(dir, "sa.pub"), serviceAccountKey.publicKey);

  const [etcdClientPort, etcdPeerPort, port] = [await freePort(), await freePort(), await freePort()];
  const etcdClientUrl = `http://127.0.0.1:${etcdClientPort}`;
  const etcdPeerUrl = `http://127.0.0.1:${etcdPeerPort}`;
  const etcdArgs = [
    "--name=t",
    `--data-dir=${join(dir, "etcd")}`,
    `--listen-client-urls=${etcdClientUrl}`,
    `--advertise-client-urls=${etcdClientUrl}`,
    `--listen-peer-urls=${etcdPeerUrl}`,
    `--initial-advertise-peer-urls=${etcdPeerUrl}`,
    `--initial-cluster=t=${etcdPeerUrl}`,
  ];
  const apiserverArgs = [
    `--etcd-servers=${etcdClientUrl}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${port}`,
    // 1.20 still has the insecure port; it would collide between clusters (and is never wanted).
    "--insecure-port=0",
    "--advertise-address=127.0.0.1",
    "--endpoint-reconciler-type=none",
    `--cert-dir=${certDir}`,
    `--token-auth-file=${join(dir, "tokens.csv")}`,
    "--authorization-mode=RBAC",
    `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
    `--service-account-key-file=${join(dir, "sa.pub")}`,
    `--service-account-signing-key-file=${join(dir, "sa.key")}`,
    "--service-cluster-ip-range=10.96.0.0/24",
  ];

  let etcd: Server | undefined;
  let apiserver: Server | undefined;
  const startApiserver = async () => {
    if (apiserver?.process.exitCode === null && apiserver.process.signalCode === null) return;
    const started = spawnServer(
      binary,
      apiserverArgs,
      "build it with `bash infra/kube/build-kube-apiserver.sh`",
    );
    apiserver = started;
    await waitReady(started, `kube-apiserver ${name} on port ${port}`, () =>
      apiserverReady(port, adminToken),
    );
  };
  const dispose = async () => {
    await kill(apiserver);
    await kill(etcd);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const startedEtcd = spawnServer(etcdBinary, etcdArgs, "install it with apt-get install etcd-server");
    etcd = startedEtcd;
    await waitReady(startedEtcd, `etcd for ${name} on port ${etcdClientPort}`, () =>
      etcdHealthy(etcdClientUrl),
    );
    await startApiserver();
  } catch (error) {
    await dispose();
    throw error;
  }

  const server = `https://127.0.0.1:${port}`;
  const caPem = await readFile(join(certDir, "apiserver.crt"), "utf8");
  const caData = Buffer.from(caPem).toString("base64");
  const yaml = (token = adminToken, yamlOptions: { readonly context?: string } = {}) =>
    kubeconfigYaml({ cluster: name, server, caData, token, context: yamlOptions.context ?? name });
  const kubeConfig = (user?: { readonly token: string }) => loadKubeConfig(yaml(user?.token));
  const admin = adminKubeAccess(kubeConfig(), SERVICE_ACCOUNT_ISSUER);

  return {
    name,
    server,
    port,
    caPem,
    caData,
    adminToken,
    kubeConfig,
    kubeconfigYaml: yaml,
    createNamespace: (namespace) => admin.createNamespace(namespace),
    restrictedToken: (tokenOptions) => admin.restrictedToken(tokenOptions),
    async stop() {
      await kill(apiserver);
    },
    restart: startApiserver,
    dispose,
  };
}

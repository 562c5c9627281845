import { type ChildProcess, execFile, spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { closeSync, openSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { killWithParent } from "./kill-with-parent.ts";
import { freePort } from "./nats-server.ts";
import { pollWhileRunning } from "./poll-until.ts";

const run = promisify(execFile);

export interface PebbleOptions {
  /** Every newAccount must carry an external account binding (`eab` below). */
  readonly eabRequired?: boolean;
  /** Percentage of good nonces pebble rejects with badNonce (pebble's own default is 5). */
  readonly nonceRejectPercent?: number;
  /** Where pebble's VA resolves names; by default a private pebble-challtestsrv answering 127.0.0.1. */
  readonly dnsServer?: string;
  /** The port pebble's VA connects to for HTTP-01 (a free one by default). */
  readonly httpPort?: number;
  /** Percentage of re-orders that get an already valid authorization (pebble's default 50). */
  readonly authzReusePercent?: number;
  /** Cross-signed alternate chains, offered as `Link: rel="alternate"` (PEBBLE_ALTERNATE_ROOTS). */
  readonly alternateRoots?: number;
}

export interface ChallTestSrv {
  /** host:port of its DNS server (UDP). */
  readonly dnsAddress: string;
  setTxt(host: string, value: string): Promise<void>;
  clearTxt(host: string): Promise<void>;
  /** Answers A queries for `host` with these addresses instead of the default 127.0.0.1. */
  addA(host: string, addresses: readonly string[]): Promise<void>;
}

export interface PebbleHandle {
  /** `https://127.0.0.1:<port>/dir` */
  readonly directoryUrl: string;
  /** The CA of pebble's listener certificate (not of the certificates it issues). */
  readonly caPem: string;
  readonly eab: { readonly kid: string; readonly hmacKey: string };
  readonly httpPort: number;
  readonly logFile: string;
  /** The challtestsrv pebble resolves through, unless `dnsServer` was given. */
  readonly challtestsrv: ChallTestSrv | undefined;
  /** Pebble's root for the default chain; regenerated on every start. */
  rootPem(): Promise<string>;
  /** Root `index` from the management API: 0 is the default chain's, 1… the alternates'. */
  root(index: number): Promise<{
    readonly pem: string;
    /** What a preferredChain names; random per start (`Pebble Root CA 1a2b3c`). */
    readonly commonName: string;
  }>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

const EAB = { kid: "kid-1", hmacKey: "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W" };

async function makeListenerCertificate(dir: string): Promise<void> {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  await run("openssl", [
    "req",
    "-x509",
    ...ec,
    "-keyout",
    join(dir, "ca.key"),
    "-out",
    join(dir, "ca.pem"),
    "-days",
    "30",
    "-subj",
    "/CN=pebble-test-tls-ca",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await run("openssl", [
    "req",
    ...ec,
    "-keyout",
    join(dir, "key.pem"),
    "-out",
    join(dir, "server.csr"),
    "-subj",
    "/CN=localhost",
  ]);
  await writeFile(
    join(dir, "ext.cnf"),
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\n" +
      "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
  );
  await run("openssl", [
    "x509",
    "-req",
    "-in",
    join(dir, "server.csr"),
    "-CA",
    join(dir, "ca.pem"),
    "-CAkey",
    join(dir, "ca.key"),
    "-CAcreateserial",
    "-out",
    join(dir, "cert.pem"),
    "-days",
    "30",
    "-extfile",
    join(dir, "ext.cnf"),
  ]);
}

function get(
  url: string,
  ca: string,
  init: { method?: string; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const lib = url.startsWith("https:") ? https : undefined;
    const request = (lib ?? https).request(
      url,
      { method: init.method ?? "GET", ca, agent: false },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on("error", reject);
    request.end(init.body);
  });
}

async function post(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, { method: "POST", body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

async function startChallTestSrv(dir: string): Promise<{ handle: ChallTestSrv; child: ChildProcess }> {
  const dnsPort = await freePort();
  const managementPort = await freePort();
  const log = openSync(join(dir, "challtestsrv.log"), "a");
  const child = spawn(
    "pebble-challtestsrv",
    [
      "-dns01",
      `127.0.0.1:${dnsPort}`,
      "-http01",
      "",
      "-https01",
      "",
      "-tlsalpn01",
      "",
      "-management",
      `127.0.0.1:${managementPort}`,
      "-defaultIPv6",
      "",
    ],
    { stdio: ["ignore", log, log] },
  );
  killWithParent(child);
  closeSync(log);
  const management = `http://127.0.0.1:${managementPort}`;
  await pollWhileRunning(
    child,
    "pebble-challtestsrv",
    async () =>
      (await fetch(`${management}/dns-request-history`, { method: "POST", body: "{}" })).status < 500,
    20_000,
  );
  const fqdn = (host: string) => (host.endsWith(".") ? host : `${host}.`);
  return {
    child,
    handle: {
      dnsAddress: `127.0.0.1:${dnsPort}`,
      setTxt: (host, value) => post(`${management}/set-txt`, { host: fqdn(host), value }),
      clearTxt: (host) => post(`${management}/clear-txt`, { host: fqdn(host) }),
      addA: (host, addresses) => post(`${management}/add-a`, { host: fqdn(host), addresses }),
    },
  };
}

/**
 * A private pebble (Debian `pebble` 2.4.0) on free loopback ports with its own listener CA,
 * PEBBLE_VA_NOSLEEP=1 and deterministic nonces unless asked otherwise. Logs go to a file.
 */
export async function startPebble(options: PebbleOptions = {}): Promise<PebbleHandle> {
  const dir = await mkdtemp(join(tmpdir(), "certplane-pebble-"));
  const children: ChildProcess[] = [];
  const dispose = async () => {
    for (const child of children.reverse()) await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await makeListenerCertificate(dir);
    let challtestsrv: ChallTestSrv | undefined;
    let dnsServer = options.dnsServer;
    if (!dnsServer) {
      const started = await startChallTestSrv(dir);
      children.push(started.child);
      challtestsrv = started.handle;
      dnsServer = started.handle.dnsAddress;
    }
    const [port, managementPort, tlsPort] = [await freePort(), await freePort(), await freePort()];
    const httpPort = options.httpPort ?? (await freePort());
    await writeFile(
      join(dir, "pebble-config.json"),
      JSON.stringify({
        pebble: {
          listenAddress: `127.0.0.1:${port}`,
          managementListenAddress: `127.0.0.1:${managementPort}`,
          certificate: join(dir, "cert.pem"),
          privateKey: join(dir, "key.pem"),
          httpPort,
          tlsPort,
          ocspResponderURL: "",
          externalAccountBindingRequired: options.eabRequired ?? false,
          externalAccountMACKeys: { [EAB.kid]: EAB.hmacKey },
        },
      }),
    );
    const logFile = join(dir, "pebble.log");
    const log = openSync(logFile, "a");
    const child = spawn("pebble", ["-config", join(dir, "pebble-config.json"), "-dnsserver", dnsServer], {
      stdio: ["ignore", log, log],
      env: {
        ...process.env,
        PEBBLE_VA_NOSLEEP: "1",
        PEBBLE_WFE_NONCEREJECT: String(options.nonceRejectPercent ?? 0),
        ...(options.authzReusePercent === undefined
          ? {}
          : { PEBBLE_AUTHZREUSE: String(options.authzReusePercent) }),
        ...(options.alternateRoots === undefined
          ? {}
          : { PEBBLE_ALTERNATE_ROOTS: String(options.alternateRoots) }),
      },
    });
    killWithParent(child);
    closeSync(log);
    children.push(child);
    const caPem = await readFile(join(dir, "ca.pem"), "utf8");
    const directoryUrl = `https://127.0.0.1:${port}/dir`;
    await pollWhileRunning(
      child,
      "pebble",
      async () => (await get(directoryUrl, caPem)).status === 200,
      20_000,
    );
    const root = async (index: number) => {
      const response = await get(`https://127.0.0.1:${managementPort}/roots/${index}`, caPem);
      if (response.status !== 200) throw new Error(`pebble has no root ${index}: HTTP ${response.status}`);
      const commonName = /^CN=(.*)$/m.exec(new X509Certificate(response.body).subject)?.[1] ?? "";
      return { pem: response.body, commonName };
    };
    return {
      directoryUrl,
      caPem,
      eab: EAB,
      httpPort,
      logFile,
      challtestsrv,
      rootPem: async () => (await root(0)).pem,
      root,
      stop: async () => {
        for (const c of children) await stopChild(c);
      },
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

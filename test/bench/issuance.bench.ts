// Issue 3's issuance benchmark. Three figures, each printed as one JSON line:
// 1. raw node:crypto: P-256 key generation + two ECDSA signatures (what a CSR and a certificate
//    cost at the crypto layer, with no ASN.1 building) per CPU-second;
// 2. our pki in-process: key + CSR + certificate through @certplane/pki, with the ratio to (1), once
//    with each CertificateEncoder (@peculiar/x509's object model and our own DER writer);
// 3. end to end: N ECDSA P-256 Certificates (CA issuer) applied through the gRPC API to the five
//    service processes over a real nats-server, until every secret file is written: certificates
//    per second and p50/p99 apply→published latency, with the ratio to (1);
// 4. the Go peer: Debian's cfssl `serve` with a P-256 CA, 16 requests in flight, newcert (key +
//    sign) and sign (a client's CSR) per second, with (3)'s ratio to newcert.
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGrpcApiClient } from "@certplane/api";
import {
  type CertificateEncoder,
  createCsr,
  derCertificateEncoder,
  encodePrivateKeyPem,
  generatePrivateKey,
  peculiarCertificateEncoder,
  randomSerialNumber,
  signCertificate,
} from "@certplane/pki";
import { startCfssl } from "@certplane/testing";
import { startFiveProcessPlane } from "../e2e/support/five-process-plane.ts";
import { eventually } from "../e2e/support/service-process.ts";

const n = Number(process.env.BENCH_ISSUANCE_N ?? 200);
const progress = (line: string) => process.stderr.write(`${line}\n`);
const print = (figure: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(figure)}\n`);

function cpuSeconds(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function rawRatePerCpuSecond(count: number): number {
  const tbs = randomBytes(400);
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    sign("sha256", tbs, privateKey);
    sign("sha256", tbs, privateKey);
  }
  return count / cpuSeconds(start);
}

async function benchCa(encoder: CertificateEncoder = derCertificateEncoder) {
  const caKey = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
  const caCsr = await createCsr({ subject: { commonName: "bench-ca" }, isCA: true }, caKey);
  const ca = await signCertificate(
    {
      csrPem: caCsr,
      isCA: true,
      notBefore: new Date(),
      serialNumber: randomSerialNumber(randomBytes),
      signer: { kind: "selfSigned", privateKey: caKey },
    },
    encoder,
  );
  return { caKey, ca };
}

async function pkiRatePerCpuSecond(count: number, encoder: CertificateEncoder): Promise<number> {
  const { caKey, ca } = await benchCa(encoder);
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const key = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
    const csr = await createCsr({ dnsNames: [`bench-${i}.example.com`] }, key);
    await signCertificate(
      {
        csrPem: csr,
        notBefore: new Date(),
        serialNumber: randomSerialNumber(randomBytes),
        signer: { kind: "ca", privateKey: caKey, certificatePem: ca.pem },
      },
      encoder,
    );
  }
  return count / cpuSeconds(start);
}

function certificateManifest(i: number): string {
  return `apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: bench-${i}, namespace: bench}
spec:
  secretName: bench-${i}-tls
  dnsNames: [bench-${i}.example.com]
  privateKey: {algorithm: ECDSA, size: 256}
  issuerRef: {name: bench-ca-issuer, kind: ClusterIssuer}
`;
}

const chain = `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: bench-selfsigned}
spec: {selfSigned: {}}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: bench-ca, namespace: cert-manager}
spec:
  isCA: true
  commonName: bench-ca
  secretName: bench-ca-secret
  privateKey: {algorithm: ECDSA, size: 256}
  issuerRef: {name: bench-selfsigned, kind: ClusterIssuer}
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: bench-ca-issuer}
spec: {ca: {secretName: bench-ca-secret}}
`;

async function endToEnd(
  count: number,
): Promise<{ perSecond: number; p50: number; p99: number; seconds: number }> {
  progress("starting nats-server and the five service processes");
  const plane = await startFiveProcessPlane();
  const api = createGrpcApiClient(plane.grpcServer.replace("grpc://", ""), { timeoutMs: 60_000 });
  try {
    await api.apply({ manifests: chain });
    const exists = (path: string) =>
      access(path).then(
        () => true,
        () => undefined,
      );
    await eventually(
      "the bench CA issuer",
      () => exists(join(plane.secretsDir, "cert-manager", "bench-ca-secret")),
      {
        timeoutMs: 60_000,
        onTimeout: plane.logs,
      },
    );
    progress(`applying ${count} certificates`);
    const appliedAt = new Map<number, number>();
    const publishedAt = new Map<number, number>();
    const started = performance.now();
    const concurrency = 16;
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          const i = next++;
          appliedAt.set(i, performance.now());
          await api.apply({ manifests: certificateManifest(i) });
        }
      }),
    );
    progress("waiting for every secret file");
    const deadline = Date.now() + 600_000;
    while (publishedAt.size < count && Date.now() < deadline) {
      for (let i = 0; i < count; i++) {
        if (publishedAt.has(i)) continue;
        if (await exists(join(plane.secretsDir, "bench", `bench-${i}-tls`, "tls.crt"))) {
          publishedAt.set(i, performance.now());
        }
      }
      if (publishedAt.size % 50 === 0) progress(`  ${publishedAt.size}/${count} published`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (publishedAt.size < count)
      throw new Error(`only ${publishedAt.size}/${count} published\n${plane.logs()}`);
    const seconds = (Math.max(...publishedAt.values()) - started) / 1000;
    const latencies = [...publishedAt.entries()]
      .map(([i, at]) => at - (appliedAt.get(i) ?? at))
      .sort((a, b) => a - b);
    return {
      perSecond: count / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      seconds,
    };
  } finally {
    api.close();
    await plane.dispose();
  }
}

/** Requests per second through `path` of cfssl's API, `inFlight` at a time. */
async function cfsslRate(url: string, path: string, bodies: readonly unknown[], inFlight: number) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const response = await fetch(`${url}/api/v1/cfssl/${path}`, {
          method: "POST",
          body: JSON.stringify(body),
        });
        const answer = (await response.json()) as { success: boolean; errors?: unknown };
        if (!answer.success) throw new Error(`cfssl ${path} refused: ${JSON.stringify(answer.errors)}`);
      }
    }),
  );
  return bodies.length / ((performance.now() - started) / 1000);
}

async function cfsslPeer(count: number): Promise<{ newcert: number; sign: number } | undefined> {
  const dir = await mkdtemp(join(tmpdir(), "certplane-bench-cfssl-"));
  try {
    const { caKey, ca } = await benchCa();
    const cfssl = await startCfssl({ dir, caPem: ca.pem, caKeyPem: encodePrivateKeyPem(caKey, "PKCS8") });
    try {
      const names = Array.from({ length: count }, (_, i) => `peer-${i}.example.com`);
      progress(`cfssl newcert: ${count} P-256 keys and certificates, 16 in flight`);
      const newcert = await cfsslRate(
        cfssl.url,
        "newcert",
        names.map((name) => ({ request: { CN: name, hosts: [name], key: { algo: "ecdsa", size: 256 } } })),
        16,
      );
      const csrs = [];
      for (const name of names) {
        csrs.push(await createCsr({ dnsNames: [name] }, await generatePrivateKey({ algorithm: "ECDSA" })));
      }
      progress(`cfssl sign: ${count} client CSRs, 16 in flight`);
      const signed = await cfsslRate(
        cfssl.url,
        "sign",
        csrs.map((csr) => ({ certificate_request: csr })),
        16,
      );
      return { newcert, sign: signed };
    } finally {
      await cfssl.dispose();
    }
  } catch (error) {
    // The peer is a comparison, not certplane: without cfssl the rest of the figures still stand.
    progress(`cfssl peer not measured: ${(error as Error).message}`);
    return undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

progress("raw node:crypto P-256 keygen + 2 signatures");
const raw = rawRatePerCpuSecond(2000);
print({ bench: "issuance.raw_node_crypto", per_cpu_s: Math.round(raw), n: 2000 });
const encoders: Readonly<Record<string, CertificateEncoder>> = {
  peculiar: peculiarCertificateEncoder,
  der: derCertificateEncoder,
};
for (const [name, encoder] of Object.entries(encoders)) {
  progress(`our pki in-process: key + CSR + certificate (${name} certificate encoder)`);
  const ours = await pkiRatePerCpuSecond(300, encoder);
  print({
    bench: `issuance.pki_in_process.${name}_encoder`,
    per_cpu_s: Math.round(ours),
    raw_per_cpu_s: Math.round(raw),
    ratio: +(ours / raw).toFixed(4),
    n: 300,
  });
}
const e2e = await endToEnd(n);
print({
  bench: "issuance.five_processes_over_nats",
  certs_per_s: +e2e.perSecond.toFixed(1),
  p50_apply_to_published_ms: Math.round(e2e.p50),
  p99_apply_to_published_ms: Math.round(e2e.p99),
  raw_per_cpu_s: Math.round(raw),
  ratio: +(e2e.perSecond / raw).toFixed(4),
  n,
  seconds: +e2e.seconds.toFixed(1),
});
const peer = await cfsslPeer(2000);
if (peer !== undefined) {
  print({
    bench: "issuance.peer_cfssl",
    newcert_per_s: Math.round(peer.newcert),
    sign_per_s: Math.round(peer.sign),
    in_flight: 16,
    certplane_five_processes_per_s: +e2e.perSecond.toFixed(1),
    ratio_to_newcert: +(e2e.perSecond / peer.newcert).toFixed(4),
    n: 2000,
  });
}

// What the chaos e2e and the full-size chaos script share: a seeded random source (the seed is
// printed, so a failing run can be replayed), the faults (a random service instance SIGKILLed and
// restarted every ~2 s, the events stream's leader killed once), applying through whichever intake
// answers, and the checks of what must hold afterwards.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { RecordedEvent } from "@certplane/domain";
import { categoryOwners } from "@certplane/domain";
import { parseStreamName } from "@certplane/domain/model";
import { subscribeCaughtUp } from "@certplane/event-store";
import { DEFAULT_LEASE_TTL_MS } from "@certplane/runtime";
import { pollUntil } from "@certplane/testing";
import { certctl } from "./certctl.ts";
import type { ClusterPlane, ServiceInstance } from "./cluster-plane.ts";

/** CERTPLANE_CHAOS_SEED replays a run; otherwise a new seed. */
export function chaosSeed(): number {
  const given = process.env.CERTPLANE_CHAOS_SEED;
  if (given !== undefined && given !== "") {
    const seed = Number(given);
    if (!Number.isInteger(seed)) throw new Error(`CERTPLANE_CHAOS_SEED must be an integer, got "${given}"`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

export const CHAOS_NAMESPACE = "chaos";
const ISSUER = "chaos-ca";

/** A self-signed root, a CA Certificate from it and a namespaced CA Issuer: what the leaves are signed by. */
export function chainManifest(): string {
  return `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: chaos-selfsigned}
spec: {selfSigned: {}}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: chaos-root, namespace: ${CHAOS_NAMESPACE}}
spec:
  isCA: true
  commonName: certplane chaos CA
  secretName: chaos-root-tls
  privateKey: {algorithm: ECDSA, size: 256}
  issuerRef: {name: chaos-selfsigned, kind: ClusterIssuer}
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: ${ISSUER}, namespace: ${CHAOS_NAMESPACE}}
spec: {ca: {secretName: chaos-root-tls}}
`;
}

const leafName = (i: number) => `leaf-${i}`;

function leavesManifest(from: number, to: number): string {
  return Array.from({ length: to - from }, (_, k) => from + k)
    .map(
      (i) => `apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: ${leafName(i)}, namespace: ${CHAOS_NAMESPACE}}
spec:
  secretName: ${leafName(i)}-tls
  dnsNames: [${leafName(i)}.chaos.example.com]
  privateKey: {algorithm: ECDSA, size: 256}
  issuerRef: {name: ${ISSUER}}
`,
    )
    .join("---\n");
}

/** Leaves per apply: one apply is one request, and a request has to finish while its intake lives. */
const APPLY_CHUNK = 100;

/** Applies `count` leaves in chunks, each through whichever intake takes it, as a burst. */
export async function applyLeaves(
  plane: ClusterPlane,
  dir: string,
  count: number,
  log: (line: string) => void,
): Promise<{ acknowledged: Set<string>; attempts: number }> {
  const acknowledged = new Set<string>();
  let attempts = 0;
  for (let from = 0; from < count; from += APPLY_CHUNK) {
    const file = join(dir, `leaves-${from}.yaml`);
    await writeFile(file, leavesManifest(from, Math.min(count, from + APPLY_CHUNK)));
    const applied = await applyWithFailover(plane, file, log);
    for (const name of applied.acknowledged) acknowledged.add(name);
    attempts += applied.attempts;
  }
  return { acknowledged, attempts };
}

const APPLIED = /^certificate\.cert-manager\.io\/(\S+) (created|configured|unchanged)$/;

/**
 * Applies `file` through the intakes in turn until one run succeeds whole, and returns every
 * Certificate the API acknowledged on the way: an intake killed mid-apply fails the run, and the
 * same file applied again through another is idempotent (`unchanged` for what already landed).
 */
async function applyWithFailover(
  plane: ClusterPlane,
  file: string,
  log: (line: string) => void,
): Promise<{ acknowledged: Set<string>; attempts: number }> {
  const acknowledged = new Set<string>();
  const attempts = 120;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const server = plane.grpcServers[(attempt - 1) % plane.grpcServers.length] as string;
    const applied = await certctl(server, "apply", "-f", file);
    for (const line of applied.stdout.split("\n")) {
      const match = APPLIED.exec(line.trim());
      if (match) acknowledged.add(match[1] as string);
    }
    if (applied.code === 0) return { acknowledged, attempts: attempt };
    log(
      `apply through ${server} failed (attempt ${attempt}), trying the next intake: ${applied.stderr.trim()}`,
    );
    // Both intakes may be restarting at once: the next attempt waits a moment (a poll interval).
    await sleep(1_000);
  }
  throw new Error(`no intake took ${file} whole in ${attempts} attempts\n${plane.logs()}`);
}

export interface FaultRecord {
  readonly at: number;
  readonly what: string;
  /** From the kill until the process (or node) was started again. */
  readonly downMs: number;
  /** From the kill until a killed instance held partitions again (undefined: not within a minute). */
  recoveredMs?: number;
}

export interface Faults {
  /** The events stream's leader is killed now and restarted once another node leads. */
  killLeader(): Promise<void>;
  /** Stops the kills and resolves once every instance is running again. */
  stop(): Promise<readonly FaultRecord[]>;
}

/**
 * Every `intervalMs` ± 25 %, a random instance is SIGKILLed and started again at once with the
 * same environment (the same instance id, so it takes its own live leases back), `maxKills` times.
 */
export function startFaults(
  plane: ClusterPlane,
  random: () => number,
  options: {
    intervalMs?: number;
    /** Stop killing after this many (the CI-sized test bounds the faults; the full-size run does not). */
    maxKills?: number;
    log: (line: string) => void;
  },
): Faults {
  const { intervalMs = 2_000, maxKills = Number.POSITIVE_INFINITY, log } = options;
  const records: FaultRecord[] = [];
  const started = Date.now();
  let stopped = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const recoveries: Promise<void>[] = [];
  const kill = async (victim: ServiceInstance) => {
    const at = Date.now();
    await victim.process.kill("SIGKILL");
    victim.process.restart();
    const record: FaultRecord = { at: at - started, what: `SIGKILL ${victim.id}`, downMs: Date.now() - at };
    records.push(record);
    recoveries.push(
      holdsPartitionsAgain(plane, victim, at).then(
        () => {
          record.recoveredMs = Date.now() - at;
        },
        () => undefined,
      ),
    );
  };
  let kills = 0;
  const loop = (async () => {
    while (!stopped && kills++ < maxKills) {
      await pause(intervalMs * (0.75 + random() / 2));
      if (stopped) break;
      const victim = plane.instances[Math.floor(random() * plane.instances.length)] as ServiceInstance;
      log(`chaos: SIGKILL ${victim.id}`);
      await kill(victim);
    }
  })();
  return {
    async killLeader() {
      const leader = await plane.streamLeader();
      const at = Date.now();
      log(`chaos: killing ${leader}, the events stream's leader`);
      await plane.cluster.stop(leader);
      const next = await plane.streamLeader();
      // pollUntil returns the first answer; a node still calling itself leader is not the new one.
      const elected = next === leader ? await waitForOtherLeader(plane, leader) : next;
      await plane.cluster.restart(leader);
      records.push({
        at: at - started,
        what: `SIGKILL ${leader} (leader; ${elected} took over)`,
        downMs: Date.now() - at,
      });
      log(`chaos: ${elected} leads the events stream; ${leader} restarted`);
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await Promise.all(recoveries);
      return records;
    },
  };
}

/**
 * Resolves once `victim`'s restarted process has renewed a partition lease of its group: one that
 * lasts past the kill by more than a lease's life was written after the kill (the killed process's
 * own leases, live for up to a ttl, do not count).
 */
async function holdsPartitionsAgain(
  plane: ClusterPlane,
  victim: ServiceInstance,
  killedAt: number,
): Promise<void> {
  const leases = await (await plane.store()).leases();
  await pollUntil(
    async () => {
      const records = await leases.list(`partitions.${victim.service}.${plane.partitions}.`);
      return records.some((r) => r.holder === victim.id && r.expiresAt > killedAt + DEFAULT_LEASE_TTL_MS)
        ? true
        : undefined;
    },
    { what: `${victim.id} to hold partitions again`, timeoutMs: 60_000, intervalMs: 250 },
  );
}

interface Listed {
  items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[];
}

/** How many leaves are Ready, as `certctl get` through `server` says; undefined when it does not answer. */
export async function readyLeaves(server: string): Promise<number | undefined> {
  const listed = await certctl(server, "get", "certificates", "-n", CHAOS_NAMESPACE, "-o", "json");
  if (listed.code !== 0) return undefined;
  return (JSON.parse(listed.stdout) as Listed).items.filter(
    (item) =>
      item.metadata.name.startsWith("leaf-") &&
      item.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
  ).length;
}

async function waitForOtherLeader(plane: ClusterPlane, old: string): Promise<string> {
  for (;;) {
    const leader = await plane.streamLeader();
    if (leader !== old) return leader;
  }
}

export interface ChaosReport {
  readonly certificates: number;
  readonly duplicateRevisions: readonly string[];
  readonly orphanRequests: readonly string[];
  readonly lost: readonly string[];
  readonly unverified: readonly string[];
  readonly malformedStreams: readonly string[];
  readonly events: number;
  /** The instances whose events the leaves' streams hold, by service: work really was shared. */
  readonly workers: Readonly<Record<string, readonly string[]>>;
}

/** Everything in the events stream, in order, read as intake's user. */
export async function readAllEvents(plane: ClusterPlane): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  const subscription = await subscribeCaughtUp(await plane.store(), {
    from: "start",
    handler: async (event) => {
      events.push(event);
    },
  });
  await subscription.stop();
  return events;
}

/**
 * What must hold after the faults: every acknowledged Certificate stored (0 lost), one
 * CertificateIssued per revision and one published SecretWritten per issued revision (0
 * duplicates), every CertificateRequest the one an issuance names (0 orphans), every secret's
 * tls.crt signed by its ca.crt for its own key, and every stream well-formed (versions increasing,
 * causation and correlation present, appended by its category's one owner, naming its instance).
 */
export async function checkAfterChaos(
  plane: ClusterPlane,
  acknowledged: ReadonlySet<string>,
): Promise<ChaosReport> {
  const events = await readAllEvents(plane);
  const byStream = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const list = byStream.get(event.stream) ?? [];
    list.push(event);
    byStream.set(event.stream, list);
  }
  const streamOf = (category: string, name: string) =>
    byStream.get(`${category}-${CHAOS_NAMESPACE}_${name}`) ?? [];

  const lost = [...acknowledged].filter(
    (name) => !streamOf("certificate", name).some((e) => e.type === "CertificateApplied"),
  );
  const duplicateRevisions: string[] = [];
  const issuedRequests = new Set<string>();
  for (const name of acknowledged) {
    const issued = streamOf("certificateIssuance", name).filter((e) => e.type === "CertificateIssued");
    const revisions = issued.map((e) => (e.data as { revision: number }).revision);
    for (const e of issued) issuedRequests.add((e.data as { requestName: string }).requestName);
    if (new Set(revisions).size !== revisions.length || revisions.length === 0)
      duplicateRevisions.push(`${name}: CertificateIssued revisions ${JSON.stringify(revisions)}`);
    const written = streamOf("secret", `${name}-tls`).filter((e) => e.type === "SecretWritten");
    if (written.length !== revisions.length)
      duplicateRevisions.push(`${name}: ${written.length} SecretWritten for ${revisions.length} revisions`);
  }
  const orphanRequests = [...byStream.keys()]
    .filter((stream) => stream.startsWith(`certificateRequest-${CHAOS_NAMESPACE}_leaf-`))
    .map((stream) => parseStreamName(stream).name)
    .filter((name) => !issuedRequests.has(name));

  const unverified: string[] = [];
  for (const name of acknowledged) {
    const problem = await verifySecretFiles(join(plane.secretsDir, CHAOS_NAMESPACE, `${name}-tls`));
    if (problem) unverified.push(`${name}: ${problem}`);
  }

  const malformedStreams: string[] = [];
  const store = await plane.store();
  for (const [stream, list] of byStream) {
    const problem = malformed(stream, list);
    if (problem) malformedStreams.push(`${stream}: ${problem}`);
    // Reading the stream gives exactly what the global subscription delivered, in the same order.
    if (!stream.includes(`-${CHAOS_NAMESPACE}_`)) continue;
    const read = (await store.read(stream)).events.map((e) => e.id).join(",");
    if (read !== list.map((e) => e.id).join(","))
      malformedStreams.push(`${stream}: read() and the subscription disagree`);
  }
  const workers: Record<string, Set<string>> = {};
  for (const event of events) {
    const { producer, instance } = event.metadata;
    if (!event.stream.includes(`-${CHAOS_NAMESPACE}_leaf-`) || !producer || !instance) continue;
    const seen = workers[producer] ?? new Set<string>();
    seen.add(instance);
    workers[producer] = seen;
  }
  return {
    workers: Object.fromEntries(Object.entries(workers).map(([service, set]) => [service, [...set].sort()])),
    certificates: acknowledged.size,
    duplicateRevisions,
    orphanRequests,
    lost,
    unverified,
    malformedStreams,
    events: events.length,
  };
}

async function verifySecretFiles(dir: string): Promise<string | undefined> {
  try {
    const [crt, ca, key] = await Promise.all(
      ["tls.crt", "ca.crt", "tls.key"].map((file) => readFile(join(dir, file), "utf8")),
    );
    const leaf = new X509Certificate(crt as string);
    const issuer = new X509Certificate(ca as string);
    if (!leaf.verify(issuer.publicKey)) return "tls.crt is not signed by ca.crt";
    if (!leaf.checkPrivateKey(createPrivateKey(key as string))) return "tls.key is not tls.crt's key";
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function malformed(stream: string, list: readonly RecordedEvent[]): string | undefined {
  const category = stream.slice(0, stream.indexOf("-")) as keyof typeof categoryOwners;
  const owner = categoryOwners[category];
  let previous: RecordedEvent | undefined;
  for (const event of list) {
    // JetStream's rule: a commit's version is its message's stream sequence, shared by the
    // commit's events, so a stream's versions never go down and only repeat within one commit.
    if (previous !== undefined && event.version < previous.version)
      return `version ${event.version} after ${previous.version} (${event.type})`;
    previous = event;
    const { causationId, correlationId, producer, instance } = event.metadata;
    if (!causationId || !correlationId) return `${event.type} ${event.id} has no causation or correlation`;
    if (producer !== owner)
      return `${event.type} ${event.id} appended by ${producer}, not its owner ${owner}`;
    if (!instance?.startsWith(`${owner}-`)) return `${event.type} ${event.id} names instance ${instance}`;
  }
  return undefined;
}

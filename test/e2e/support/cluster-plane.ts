// Several instances of every service, as separate processes, on the 3-node JetStream cluster of
// infra/nats/cluster/ (its files, users and mutual TLS; only hosts, ports and directories replaced).
// The services share one secrets directory and share their work by partition leases; each intake
// serves its own gRPC address, so a client fails over between them as it would behind a balancer.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { appendFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { ServiceName } from "@certplane/domain";
import { JetStreamEventStore } from "@certplane/event-store";
import { connectNats } from "@certplane/messaging";
import type { NatsClusterHandle } from "@certplane/testing";
import { freePort, pollUntil, startNatsCluster } from "@certplane/testing";
import { type JetStreamManager, jetstreamManager, type StreamConfig } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { materializeClusterFiles } from "../../infra/support/cluster-files.ts";
import { certctl } from "./certctl.ts";
import { serviceNames } from "./five-process-plane.ts";
import type { NatsSecurity } from "./nats-security.ts";
import { prepareNatsSecurity } from "./nats-security.ts";
import type { ServiceProcess } from "./service-process.ts";
import { eventually, repoRoot, startServiceProcess } from "./service-process.ts";

export const EVENTS_STREAM = "CERTPLANE_EVENTS";

export interface ServiceInstance {
  readonly service: ServiceName;
  /** CERTPLANE_INSTANCE_ID, which its events carry as metadata.instance. */
  readonly id: string;
  readonly process: ServiceProcess;
}

export interface ClusterPlane {
  readonly cluster: NatsClusterHandle;
  readonly nodeNames: readonly string[];
  readonly security: NatsSecurity;
  /** `grpc://…` of every intake instance, in instance order. */
  readonly grpcServers: readonly string[];
  readonly secretsDir: string;
  readonly partitions: number;
  readonly instances: readonly ServiceInstance[];
  /** A store connection as intake's user (which may read everything), opened on first use. */
  store(): Promise<JetStreamEventStore>;
  /** The node that leads the events stream now. */
  streamLeader(): Promise<string>;
  logs(): string;
  dispose(): Promise<void>;
}

/**
 * Starts the cluster, creates the R3 events stream from infra/nats/events-stream.json (as the
 * deployment does before any service starts), then `instancesPerService` instances of each service,
 * and returns once every intake answers and every group's partitions are shared out.
 */
export async function startClusterPlane(
  options: { instancesPerService?: number; partitions?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ClusterPlane> {
  const { instancesPerService = 2, partitions = 8 } = options;
  const dir = await mkdtemp(join(tmpdir(), "certplane-cluster-plane-"));
  await mkdir(join(dir, "tls"));
  const security = await prepareNatsSecurity(join(dir, "tls"));
  const nodes = await materializeClusterFiles(dir, join(dir, "tls"));
  // Each node logs to a file beside its configuration, so a failure can show what the servers said.
  const serverLogs = nodes.map((node) => join(dirname(node.configPath), "nats-server.log"));
  for (const [index, node] of nodes.entries()) {
    await appendFile(node.configPath, `\nlog_file: "${serverLogs[index]}"\n`);
  }
  const cluster = await startNatsCluster({ nodes, env: security.serverEnv });
  const secretsDir = join(dir, "secrets");
  const instances: ServiceInstance[] = [];
  let nc: NatsConnection | undefined;
  let store: Promise<JetStreamEventStore> | undefined;
  const openStore = () => {
    store ??= JetStreamEventStore.connect({
      servers: [...cluster.urls],
      connection: security.connection("intake"),
      connectionName: "e2e-cluster-plane-checks",
    });
    return store;
  };
  const logs = () =>
    [
      ...instances.map((i) => `--- ${i.id}\n${i.process.output().slice(-2500)}`),
      ...serverLogs.map((file) => `--- ${file}\n${tailOf(file, 3000)}`),
    ].join("\n");
  const dispose = async () => {
    await Promise.all(instances.map((i) => i.process.kill()));
    if (store) await (await store).close().catch(() => undefined);
    await nc?.close().catch(() => undefined);
    await cluster.dispose();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // Intake's own user: creating the events stream is what it may do, and all the setup needs.
    nc = await connectNats(security.connection("intake"), {
      servers: [...cluster.urls],
      name: "e2e-cluster-plane-admin",
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    const connected = nc;
    // JetStream answers once the nodes have elected a meta leader.
    const jsm = await pollUntil(() => jetstreamManager(connected, { timeout: 2_000 }), {
      what: "JetStream to answer on the cluster",
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    // Before any service connects: a store that finds no stream creates a single-replica one.
    await createEventsStream(jsm);
    const kek = randomBytes(32).toString("base64");
    const grpcServers: string[] = [];
    for (const service of serviceNames) {
      for (let n = 1; n <= instancesPerService; n++) {
        const id = `${service}-${n}`;
        const grpc = `127.0.0.1:${await freePort()}`;
        if (service === "intake") grpcServers.push(`grpc://${grpc}`);
        const env: NodeJS.ProcessEnv = {
          CERTPLANE_STORE: "jetstream",
          CERTPLANE_BUS: "nats",
          CERTPLANE_NATS_URL: cluster.urls.join(","),
          CERTPLANE_KEK: kek,
          CERTPLANE_DATA_DIR: join(dir, "data", id),
          CERTPLANE_SECRETS_DIR: secretsDir,
          CERTPLANE_GRPC_ADDRESS: grpc,
          CERTPLANE_LOG_LEVEL: "warn",
          CERTPLANE_ACME_HTTP01_LISTEN: "127.0.0.1:0",
          CERTPLANE_INSTANCE_ID: id,
          CERTPLANE_WORK_PARTITIONS: String(partitions),
          ...security.serviceEnv(service),
          ...options.env,
        };
        instances.push({ service, id, process: startServiceProcess(service, env) });
      }
    }
    const plane: ClusterPlane = {
      cluster,
      nodeNames: nodes.map((node) => node.name),
      security,
      grpcServers,
      secretsDir,
      partitions,
      instances,
      store: openStore,
      streamLeader() {
        return pollUntil(async () => (await jsm.streams.info(EVENTS_STREAM)).cluster?.leader, {
          what: "the events stream's leader",
          timeoutMs: 30_000,
          intervalMs: 200,
        });
      },
      logs,
      dispose,
    };
    for (const server of grpcServers) {
      await eventually(
        `intake at ${server} to answer`,
        async () => ((await certctl(server, "get", "clusterissuers")).code === 0 ? true : undefined),
        { timeoutMs: 90_000, intervalMs: 500, onTimeout: logs },
      );
    }
    await partitionsShared(plane, instancesPerService);
    return plane;
  } catch (error) {
    await dispose();
    throw error;
  }
}

function tailOf(file: string, chars: number): string {
  try {
    return readFileSync(file, "utf8").slice(-chars);
  } catch {
    return "(no log)";
  }
}

async function createEventsStream(jsm: JetStreamManager): Promise<void> {
  const config = JSON.parse(
    await readFile(join(repoRoot, "infra/nats/events-stream.json"), "utf8"),
  ) as StreamConfig;
  // Adding the identical stream again is not an error, so a retry after a lost answer is safe.
  await pollUntil(() => jsm.streams.add(config), {
    what: "the R3 events stream",
    timeoutMs: 30_000,
    intervalMs: 250,
  });
}

/**
 * Every group's partitions are held and split evenly, so work starts where it stays: an aggregate
 * handed over while the instances are still joining would be worked by two instances in turn.
 */
export async function partitionsShared(plane: ClusterPlane, instancesPerService: number): Promise<void> {
  const leases = await (await plane.store()).leases();
  const fair = Math.ceil(plane.partitions / instancesPerService);
  await eventually(
    "every service's partitions shared out among its instances",
    async () => {
      const now = Date.now();
      const records = (await leases.list("partitions.")).filter((r) => r.expiresAt > now);
      for (const service of serviceNames) {
        const held = records.filter((r) => r.key.startsWith(`partitions.${service}.${plane.partitions}.`));
        if (held.length !== plane.partitions) return undefined;
        const byHolder = new Map<string, number>();
        for (const r of held) byHolder.set(r.holder, (byHolder.get(r.holder) ?? 0) + 1);
        if (byHolder.size !== instancesPerService || [...byHolder.values()].some((n) => n > fair))
          return undefined;
      }
      return true;
    },
    { timeoutMs: 90_000, intervalMs: 500, onTimeout: plane.logs },
  );
}

import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { categoryOwners, isCertplaneError, ownerCommandRoutes, ownerCommandSubject } from "@certplane/domain";
import type { NatsConnectionSettings } from "@certplane/messaging";
import { NatsCommandBus } from "@certplane/messaging";
import type { NatsServerHandle } from "@certplane/testing";
import { freePort, startNatsServer } from "@certplane/testing";
import { certctl } from "./certctl.ts";
import type { ServiceProcess } from "./service-process.ts";
import { eventually, startServiceProcess } from "./service-process.ts";

export const serviceNames = [
  "secret-publisher",
  "signer",
  "renewal-scheduler",
  "acme-solver",
  "intake",
] as const;
export type ServiceName = (typeof serviceNames)[number];

export interface FiveProcessPlane {
  readonly nats: NatsServerHandle;
  readonly grpcServer: string;
  readonly secretsDir: string;
  readonly processes: ReadonlyMap<ServiceName, ServiceProcess>;
  /** The last lines every process wrote, for failure messages. */
  logs(): string;
  dispose(): Promise<void>;
}

/**
 * A private nats-server and the five services as separate processes on it, sharing only NATS
 * (JetStream store, NATS API) and one key-encryption key. `env` adds settings for every process;
 * `perService` for one.
 */
export async function startFiveProcessPlane(
  options: {
    env?: NodeJS.ProcessEnv;
    perService?: Partial<Record<ServiceName, NodeJS.ProcessEnv>>;
    /** Configuration lines and environment for the nats-server (users, permissions, TLS). */
    natsServer?: { config?: readonly string[]; env?: NodeJS.ProcessEnv };
    /** How the readiness probe connects as a service, when the server checks who connects. */
    connectAs?: (service: ServiceName) => NatsConnectionSettings;
  } = {},
): Promise<FiveProcessPlane> {
  const nats = await startNatsServer(options.natsServer);
  const workDir = await mkdtemp(join(tmpdir(), "certplane-e2e-"));
  const grpcAddress = `127.0.0.1:${await freePort()}`;
  const secretsDir = join(workDir, "secrets");
  const env = {
    CERTPLANE_STORE: "jetstream",
    CERTPLANE_BUS: "nats",
    CERTPLANE_NATS_URL: nats.url,
    CERTPLANE_KEK: randomBytes(32).toString("base64"),
    CERTPLANE_DATA_DIR: join(workDir, "data"),
    CERTPLANE_SECRETS_DIR: secretsDir,
    CERTPLANE_GRPC_ADDRESS: grpcAddress,
    CERTPLANE_LOG_LEVEL: "warn",
    // Several planes run at once in the test suite: let the HTTP-01 responder take any free port.
    CERTPLANE_ACME_HTTP01_LISTEN: "127.0.0.1:0",
    ...options.env,
  };
  const processes = new Map<ServiceName, ServiceProcess>();
  for (const name of serviceNames) {
    processes.set(name, startServiceProcess(name, { ...env, ...options.perService?.[name] }));
  }
  const logs = () =>
    [...processes.values()].map((p) => `--- ${p.name}\n${p.output().slice(-3000)}`).join("\n");
  const plane: FiveProcessPlane = {
    nats,
    grpcServer: `grpc://${grpcAddress}`,
    secretsDir,
    processes,
    logs,
    async dispose() {
      await Promise.all([...processes.values()].map((p) => p.kill()));
      await nats.dispose();
      await rm(workDir, { recursive: true, force: true });
    },
  };
  try {
    await eventually(
      "intake to answer over gRPC",
      async () => ((await certctl(plane.grpcServer, "get", "clusterissuers")).code === 0 ? true : undefined),
      { timeoutMs: 60_000, onTimeout: logs },
    );
    await ownersAnswering(nats.url, logs, options.connectAs);
  } catch (error) {
    await plane.dispose();
    throw error;
  }
  return plane;
}

/**
 * Every owner serves its commands before a test sends any: intake answering says nothing about the
 * others, and a command to an owner that is not up yet fails fast (NO_RESPONDERS). Any answer to a
 * probe, even a refusal of its empty envelope, means the owner is listening. With `connectAs`, each
 * probe is sent as one of the command's senders, the only users the server lets send it.
 */
async function ownersAnswering(
  natsUrl: string,
  logs: () => string,
  connectAs?: (service: ServiceName) => NatsConnectionSettings,
): Promise<void> {
  const buses = new Map<string, Promise<NatsCommandBus>>();
  const busFor = (sender: ServiceName) => {
    const key = connectAs ? sender : "anonymous";
    const bus =
      buses.get(key) ??
      NatsCommandBus.connect({
        servers: natsUrl,
        name: `e2e-readiness-${key}`,
        onHandlerError: () => undefined,
        ...(connectAs ? { connection: connectAs(sender) } : {}),
      });
    buses.set(key, bus);
    return bus;
  };
  try {
    const probes = new Map(ownerCommandRoutes.map((route) => [route.category, route]));
    for (const [category, { command, senders }] of probes) {
      const bus = await busFor(senders[0] as ServiceName);
      await eventually(
        `${categoryOwners[category]} to serve ${category} commands`,
        async () => {
          try {
            // An empty envelope names no stream, so the owner refuses it without touching anything.
            await bus.request(ownerCommandSubject(category, command), {}, { timeoutMs: 2_000 });
            return true;
          } catch (error) {
            return isCertplaneError(error) && error.code === "NO_RESPONDERS" ? undefined : true;
          }
        },
        { timeoutMs: 60_000, onTimeout: logs },
      );
    }
  } finally {
    await Promise.all([...buses.values()].map(async (bus) => (await bus).close()));
  }
}

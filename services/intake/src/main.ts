// intake as its own process: JetStream event store, API over NATS request subjects and gRPC.
import { serveBusApi, serveGrpcApi } from "@certplane/api";
import { certificateFactsFromApi, runObservedServiceProcess } from "@certplane/observability";
import { parseHostConfig } from "@certplane/runtime";
import { parseIntakeConfig } from "./config.ts";
import { startDashboard } from "./dashboard/dashboard-server.ts";
import { startIntakeService } from "./index.ts";

const host = parseHostConfig(process.env, { store: "jetstream", bus: "nats" });
const config = parseIntakeConfig(process.env);

await runObservedServiceProcess(
  "intake",
  host,
  config.metricsAddress,
  async (infrastructure, observability) => {
    const { bus, clock, logger } = infrastructure;
    const intake = await startIntakeService({ ...infrastructure, config });
    // The Certificate gauges live where the Certificates' read model does.
    observability.exposeCertificates(certificateFactsFromApi(intake.api));
    const busApi = await serveBusApi(bus, intake.api, { queue: "intake" });
    const grpc = await serveGrpcApi(intake.api, config.grpc);
    const scheme = config.grpc.tls === undefined ? "grpc" : "grpcs";
    logger.info("API ready", { grpc: `${scheme}://${grpc.address}`, nats: host.natsUrl });
    const dashboard =
      config.dashboardAddress === undefined
        ? undefined
        : await startDashboard({ api: intake.api, address: config.dashboardAddress, clock, logger });
    return {
      async stop() {
        await dashboard?.stop();
        await grpc.stop();
        await busApi.stop();
        await intake.stop();
      },
    };
  },
);

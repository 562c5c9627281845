// `pnpm start`: the whole control plane in one process, with SQLite under ./data and secrets under
// ./secrets, serving the API on localhost so `pnpm certctl` works with no flags.
import { parseHostConfig, startProcessTracing } from "@certplane/runtime";
import { defaultMetricsAddress, startEmbeddedControlPlane } from "./embedded.ts";

const env = process.env;
const say = (line: string) => process.stdout.write(`${line}\n`);

try {
  const tracing = await startProcessTracing("certplane", env);
  const host = parseHostConfig(env, { store: "sqlite", bus: "in-process" });
  say("certplane: starting the embedded control plane");
  const plane = await startEmbeddedControlPlane({
    host,
    env,
    defaultMetricsAddress,
    progress: (step) => say(`  … ${step}`),
  });
  say(`certplane: ready. API on ${plane.apiUrl}`);
  if (plane.dashboardUrl) say(`  dashboard: ${plane.dashboardUrl}`);
  if (plane.metricsUrl) say(`  metrics: ${plane.metricsUrl}/metrics (and /livez, /readyz)`);
  say(`  events:  ${host.store === "sqlite" ? host.sqlitePath : host.store}`);
  say(
    `  secrets: ${env.CERTPLANE_SECRETS_DIR || "./secrets"}/<namespace>/<secretName>/{tls.crt,tls.key,ca.crt}`,
  );
  say(
    plane.apiUrl.startsWith("grpcs:")
      ? `  next:    pnpm certctl --server ${plane.apiUrl} --certificate-authority CA.pem apply -f examples/seed.yaml`
      : "  next:    pnpm certctl apply -f examples/seed.yaml",
  );
  const shutdown = async () => {
    say("certplane: stopping");
    await plane.stop();
    await tracing.shutdown();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`certplane: could not start: ${message}\n`);
  if (/EADDRINUSE/.test(message)) {
    process.stderr.write(
      "  another control plane may be running; stop it or set CERTPLANE_GRPC_ADDRESS=127.0.0.1:<port>" +
        " (and CERTPLANE_DASHBOARD_ADDRESS, CERTPLANE_METRICS_ADDRESS)\n",
    );
  }
  process.exit(1);
}

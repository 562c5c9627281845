import { hostname } from "node:os";
import { tracingRequested } from "@certplane/telemetry";

export interface ProcessTracing {
  /** Flushes what is buffered and stops; a stopping process awaits it so its last spans arrive. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing for this process when the OTEL_* variables ask for it. The SDK is
 * loaded only then, so a process that does not trace pays nothing for it.
 */
export async function startProcessTracing(
  service: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ProcessTracing> {
  if (!tracingRequested(env)) return { shutdown: async () => {} };
  const { startTracing } = await import("@certplane/telemetry/sdk");
  return startTracing({ serviceName: service, instanceId: `${hostname()}/${process.pid}`, env });
}

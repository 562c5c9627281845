import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmbeddedControlPlane } from "@certplane/control-plane";
import { startEmbeddedControlPlane } from "@certplane/control-plane";
import { parseHostConfig, silentLogger } from "@certplane/runtime";

export interface TestEmbeddedPlane {
  readonly workDir: string;
  readonly plane: EmbeddedControlPlane;
  /** `grpc://…` or `grpcs://…` for certctl's --server. */
  readonly server: string;
  dispose(): Promise<void>;
}

/**
 * The embedded control plane in a fresh directory (SQLite under data/, files under secrets/),
 * gRPC and the HTTP-01 responder on free ports so several can run at once. `env` adds settings,
 * computed from the work directory when they name files in it.
 */
export async function startTestEmbeddedPlane(
  prefix: string,
  env: (workDir: string) => Record<string, string> = () => ({}),
  prepare: (workDir: string) => Promise<void> = async () => {},
): Promise<TestEmbeddedPlane> {
  const workDir = await mkdtemp(join(tmpdir(), prefix));
  await prepare(workDir);
  const settings = {
    CERTPLANE_DATA_DIR: join(workDir, "data"),
    CERTPLANE_SECRETS_DIR: join(workDir, "secrets"),
    CERTPLANE_ACME_HTTP01_LISTEN: "127.0.0.1:0",
    CERTPLANE_DASHBOARD_ADDRESS: "127.0.0.1:0",
    ...env(workDir),
  };
  const plane = await startEmbeddedControlPlane({
    host: parseHostConfig(settings, { store: "sqlite", bus: "in-process" }),
    env: settings,
    grpcAddress: "127.0.0.1:0",
    logger: silentLogger,
  });
  return {
    workDir,
    plane,
    server: plane.apiUrl,
    async dispose() {
      await plane.stop();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
